using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.Registry;

/// <summary>
/// A base layer carried as the very blob it was pulled as: the compressed file the pull kept (docs/decisions.md
/// D60), under the registry's digest. A push to the registry that has it is a <c>HEAD</c>, to another
/// repository of the base's registry a mount, elsewhere an upload of the kept bytes; an <c>oci</c> output with
/// that compression stores it as it is (D78). It is never compressed again. The file is checked (D61)
/// before its first byte goes anywhere: <see cref="OpenBlobAsync"/> checks it, and <see cref="CheckedAsync"/>
/// must have run before the archive writer takes it by <see cref="CopyInto"/>.
/// </summary>
internal sealed class PulledLayerBlob : LayerBlob
{
    private readonly PulledBlobStore store;
    private readonly FileLayer file;
    private readonly Lock gate = new();
    private Task? checking;

    private PulledLayerBlob(PulledBlobStore store, string path, Digest digest, Digest diffId, long size, LayerCompression compression, string origin)
    {
        this.store = store;
        Compression = compression;
        Origin = origin;
        file = new FileLayer(path, digest, diffId, size, LayerCompressor.MediaType(compression));
    }

    public override Digest Digest => file.Digest;

    public override Digest DiffId => file.DiffId;

    public override long Size => file.Size;

    /// <summary>The OCI media type of its compression, whichever name (Docker or OCI) the base's manifest used:
    /// the bytes are the same, and an OCI layout or a pushed OCI manifest names OCI types only.</summary>
    public override string MediaType => file.MediaType;

    /// <summary>How the blob is compressed (gzip or zstd).</summary>
    public LayerCompression Compression { get; }

    /// <summary>The repository it was pulled from, as users write it (<c>127.0.0.1:5000/team/base</c>).</summary>
    public string Origin { get; }

    public override (string Path, long Offset)? TarFile => null;

    /// <summary>The kept blob of the layer tar <paramref name="diffId"/> when it was pulled compressed as
    /// <paramref name="compression"/> asks, or null (not pulled, pulled otherwise, or a cache from before D60).</summary>
    public static PulledLayerBlob? Find(PulledBlobStore store, Digest diffId, LayerCompression compression)
    {
        if (store.FindOrigin(diffId) is not { } origin || CompressionOf(origin.MediaType) != compression)
        {
            return null;
        }

        return Kept(store, origin.Digest, origin.Size, origin.MediaType, diffId, origin.Repository);
    }

    /// <summary>The kept blob a base's manifest names (<paramref name="digest"/>, <paramref name="size"/>,
    /// <paramref name="mediaType"/>) for its layer tar <paramref name="diffId"/>, or null when the layer is not
    /// compressed (gzip or zstd) or its blob is not kept (an <c>--offline</c> build on a cache from before D60).</summary>
    public static PulledLayerBlob? Kept(PulledBlobStore store, Digest digest, long size, string mediaType, Digest diffId, string origin)
    {
        if (digest == diffId || size <= 0 || CompressionOf(mediaType) is not { } compression ||
            store.Find(digest) is not { } path || new FileInfo(path).Length != size)
        {
            return null;
        }

        return new PulledLayerBlob(store, path, digest, diffId, size, compression, origin);
    }

    /// <summary>The repository path of <see cref="Origin"/> when it is on the registry <paramref name="registryName"/>.</summary>
    public string? OriginPathOn(string registryName) =>
        Origin.StartsWith(registryName + "/", StringComparison.Ordinal) ? Origin[(registryName.Length + 1)..] : null;

    /// <summary>This blob, once its kept file was found to match its digest (D61); LB5060, the file removed
    /// from the cache, when it does not.</summary>
    public async Task<PulledLayerBlob> CheckedAsync(CancellationToken cancellationToken)
    {
        Task task;
        lock (gate)
        {
            // Checked once: an upload opens the blob for each chunk and each retry.
            task = checking ??= CheckAsync(cancellationToken);
        }

        await task.ConfigureAwait(false);
        return this;
    }

    public override async Task<Stream> OpenBlobAsync(CancellationToken cancellationToken = default) =>
        (await CheckedAsync(cancellationToken).ConfigureAwait(false)).OpenBlob();

    public override Stream OpenBlob()
    {
        ThrowUnlessChecked();
        return file.OpenBlob();
    }

    public override void CopyInto(SafeFileHandle output, long offset, CancellationToken cancellationToken)
    {
        ThrowUnlessChecked();
        file.CopyInto(output, offset, cancellationToken);
    }

    private void ThrowUnlessChecked()
    {
        if (checking is not { IsCompletedSuccessfully: true })
        {
            throw new InvalidOperationException($"the kept blob {Digest} was read before it was checked");
        }
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (!await store.IsIntactAsync(file.FilePath, Digest, cancellationToken).ConfigureAwait(false))
        {
            store.Evict(Digest);
            throw new LayerBuildException(DiagnosticCodes.PulledBlobDamaged, new SourcePosition("", 0, 0),
                $"the kept blob {Digest} of base layer {DiffId} (pulled from '{Origin}') no longer matches its digest; it is removed from the cache, build again to pull it afresh");
        }
    }

    /// <summary>The compression a layer media type says (OCI or Docker), or null for a plain tar or another type.</summary>
    public static LayerCompression? CompressionOf(string mediaType) =>
        mediaType.EndsWith("gzip", StringComparison.Ordinal) ? LayerCompression.Gzip
        : mediaType.EndsWith("zstd", StringComparison.Ordinal) ? LayerCompression.Zstd
        : null;
}
