using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Faults;

/// <summary>The first half of a layer's bytes (fault <c>truncated-layer</c>): the archive member is this
/// long, while the manifest and config still describe the whole layer.</summary>
internal sealed class TruncatedLayer(ILayer inner) : ILayer
{
    public Digest Digest => inner.Digest;

    public Digest DiffId => inner.DiffId;

    public long Size => inner.Size / 2;

    public string MediaType => inner.MediaType;

    public async Task<Stream> OpenBlobAsync(CancellationToken cancellationToken = default) =>
        new BoundedReadStream(await inner.OpenBlobAsync(cancellationToken).ConfigureAwait(false), Size);
}
