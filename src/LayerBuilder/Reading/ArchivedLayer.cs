using System.Runtime.CompilerServices;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.TarInput;

namespace LayerBuilder.Reading;

/// <summary>
/// One layer of an <see cref="ArchivedImage"/>: what the image's metadata says of it, and ways to read
/// it that stream (nothing of a layer is held in memory). Every read goes through the hardened tar
/// reader, so damage or hostile content is a <see cref="Diagnostics.LayerBuildException"/> naming the
/// archive and the layer.
/// </summary>
public sealed class ArchivedLayer : ILayer
{
    /// <summary>Hops from a hard link to the file it names; more means a loop.</summary>
    private const int MaxLinkHops = 16;

    private readonly ArchiveContents contents;

    internal ArchivedLayer(ArchiveContents contents, string image, int index, string member, Digest digest, Digest diffId, long size, string mediaType, bool described)
    {
        this.contents = contents;
        Index = index;
        Member = member;
        Digest = digest;
        DiffId = diffId;
        Size = size;
        MediaType = mediaType;
        IsDescribed = described;
        Description = $"layer {index + 1} of {image} ('{member}')";
    }

    /// <summary>Position in the image, 0 for the bottom layer.</summary>
    public int Index { get; }

    /// <summary>The blob's digest as the manifest gives it. A classic <c>docker save</c> archive stores
    /// layers uncompressed and gives no digest of its own: there it is the diff id.</summary>
    public Digest Digest { get; }

    /// <summary>The digest of the uncompressed tar, from the config's <c>rootfs.diff_ids</c> at this index.</summary>
    public Digest DiffId { get; }

    /// <summary>The blob's size in bytes as the manifest gives it (in a classic archive, the member's size).</summary>
    public long Size { get; }

    /// <summary>The blob's media type as the manifest gives it (in a classic archive, the OCI type of a plain tar).</summary>
    public string MediaType { get; }

    /// <summary>The compression the media type names.</summary>
    public LayerCompression Compression => KnownMediaTypes.CompressionOf(MediaType);

    /// <summary>The member of the archive or layout that holds the blob.</summary>
    internal string Member { get; }

    /// <summary>True when a manifest describes the blob (digest, size, media type); false in a classic archive.</summary>
    internal bool IsDescribed { get; }

    internal string Description { get; }

    internal TarInputSource Input => contents.Input($"{Description} in {contents.Description}");

    /// <summary>The blob's bytes as stored (compressed when the blob is).</summary>
    public Task<Stream> OpenBlobAsync(CancellationToken cancellationToken = default) => contents.OpenAsync(Member, cancellationToken);

    /// <summary>The uncompressed tar. Its headers are checked as they pass; damage is LB2023 naming the layer.</summary>
    public async Task<Stream> OpenTarAsync(CancellationToken cancellationToken = default)
    {
        var source = Input;
        var tar = await LayerDecompression.OpenAsync(await OpenBlobAsync(cancellationToken).ConfigureAwait(false), source, cancellationToken).ConfigureAwait(false);
        return new TarBlockGuard(tar, source);
    }

    /// <summary>A reader over the layer's entries, one streaming pass.</summary>
    public async Task<LayerEntryReader> OpenEntryReaderAsync(CancellationToken cancellationToken = default)
    {
        var source = Input;
        var tar = await LayerDecompression.OpenAsync(await OpenBlobAsync(cancellationToken).ConfigureAwait(false), source, cancellationToken).ConfigureAwait(false);
        return new LayerEntryReader(TarInputReader.Open(source, tar));
    }

    /// <summary>Every entry of the layer, in layer order, in one streaming pass.</summary>
    public async IAsyncEnumerable<LayerEntryInfo> ReadEntriesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var reader = await OpenEntryReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
        {
            yield return entry;
        }
    }

    /// <summary>
    /// The content of the regular file at <paramref name="path"/> (<c>etc/passwd</c> or <c>/etc/passwd</c>),
    /// following a hard link to the file it names; null when the layer has no regular file there. When a
    /// path occurs twice the later entry counts, as in any tar. It reads the layer again for each call.
    /// </summary>
    public async Task<Stream?> OpenFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var wanted = Normalized(path);
        for (var hops = 0; wanted is not null && hops < MaxLinkHops; hops++)
        {
            var (ordinal, entry) = await FindLastAsync(wanted, cancellationToken).ConfigureAwait(false);
            switch (entry?.Kind)
            {
                case LayerEntryKind.File:
                    return await OpenAtAsync(ordinal, cancellationToken).ConfigureAwait(false);
                case LayerEntryKind.HardLink:
                    wanted = Normalized(entry.LinkTarget!);
                    break;
                default:
                    return null;
            }
        }

        return null;
    }

    public override string ToString() => Description;

    private static string? Normalized(string path) =>
        Base.ArchiveMemberNames<string>.TryKey(path.TrimStart('/'), out var key) && key.Length > 0 ? key : null;

    private async Task<(int Ordinal, LayerEntryInfo? Entry)> FindLastAsync(string path, CancellationToken cancellationToken)
    {
        (int, LayerEntryInfo?) found = (-1, null);
        var ordinal = 0;
        await foreach (var entry in ReadEntriesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (entry.Path == path)
            {
                found = (ordinal, entry);
            }

            ordinal++;
        }

        return found;
    }

    private async Task<Stream> OpenAtAsync(int wanted, CancellationToken cancellationToken)
    {
        var reader = await OpenEntryReaderAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var ordinal = 0; await reader.NextAsync(cancellationToken).ConfigureAwait(false) is not null; ordinal++)
            {
                if (ordinal == wanted)
                {
                    return new FileSystem.BorrowedStream(reader.OpenContent(), reader);
                }
            }

            throw new InvalidOperationException($"{Description} changed while it was read");
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
