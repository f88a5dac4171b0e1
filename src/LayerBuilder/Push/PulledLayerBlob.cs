using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Registry;

namespace LayerBuilder.Push;

/// <summary>
/// A base layer pushed as the very blob it was pulled as (docs/decisions.md D60): the compressed file the
/// pull kept, under the digest the base's manifest named, so a push to the registry that has it is a
/// <c>HEAD</c>, to another repository of the base's registry a mount, and elsewhere an upload of the kept
/// bytes: never a compression. The file is checked (D61) before its first byte is sent.
/// </summary>
internal sealed class PulledLayerBlob : ILayer
{
    private readonly PulledBlobStore store;
    private readonly string path;
    private readonly Lock gate = new();
    private Task? checking;

    private PulledLayerBlob(PulledBlobStore store, string path, Digest digest, Digest diffId, long size, string mediaType, string origin)
    {
        this.store = store;
        this.path = path;
        Digest = digest;
        DiffId = diffId;
        Size = size;
        MediaType = mediaType;
        Origin = origin;
    }

    public Digest Digest { get; }

    public Digest DiffId { get; }

    public long Size { get; }

    public string MediaType { get; }

    /// <summary>The repository it was pulled from, as users write it (<c>127.0.0.1:5000/team/base</c>).</summary>
    public string Origin { get; }

    /// <summary>The kept blob of the layer tar <paramref name="diffId"/> when it was pulled compressed as
    /// <paramref name="compression"/> asks, or null (not pulled, pulled otherwise, or a cache from before D60).</summary>
    public static PulledLayerBlob? Find(PulledBlobStore store, Digest diffId, LayerCompression compression)
    {
        if (store.FindOrigin(diffId) is not { } origin || origin.Digest == diffId || origin.Size <= 0 || KindOf(origin.MediaType) != compression ||
            store.Find(origin.Digest) is not { } path || new FileInfo(path).Length != origin.Size)
        {
            return null;
        }

        return new PulledLayerBlob(store, path, origin.Digest, diffId, origin.Size, LayerCompressor.MediaType(compression), origin.Repository);
    }

    /// <summary>The repository path of <see cref="Origin"/> when it is on the registry <paramref name="registryName"/>.</summary>
    public string? OriginPathOn(string registryName) =>
        Origin.StartsWith(registryName + "/", StringComparison.Ordinal) ? Origin[(registryName.Length + 1)..] : null;

    public async Task<Stream> OpenBlobAsync(CancellationToken cancellationToken = default)
    {
        Task task;
        lock (gate)
        {
            // Checked once: an upload opens the blob for each chunk and each retry.
            task = checking ??= CheckAsync(cancellationToken);
        }

        await task.ConfigureAwait(false);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (!await store.IsIntactAsync(path, Digest, cancellationToken).ConfigureAwait(false))
        {
            store.Evict(Digest);
            throw new LayerBuildException(DiagnosticCodes.PulledBlobDamaged, new SourcePosition("", 0, 0),
                $"the kept blob {Digest} of base layer {DiffId} (pulled from '{Origin}') no longer matches its digest; it is removed from the cache, build again to pull it afresh");
        }
    }

    /// <summary>The compression a layer media type says (OCI or Docker), or null for a plain tar or another type.</summary>
    private static LayerCompression? KindOf(string mediaType) =>
        mediaType.EndsWith("gzip", StringComparison.Ordinal) ? LayerCompression.Gzip
        : mediaType.EndsWith("zstd", StringComparison.Ordinal) ? LayerCompression.Zstd
        : null;
}
