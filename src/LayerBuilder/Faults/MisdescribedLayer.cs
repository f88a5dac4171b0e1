using LayerBuilder.Image;

namespace LayerBuilder.Faults;

/// <summary>A layer whose bytes are its own but whose diff id is another (fault <c>layer-digest-mismatch</c>):
/// the sha256 of a line naming the true one. An uncompressed layer's digest is its diff id, so it changes
/// with it and the blob is named by the wrong digest too; a compressed layer keeps its true digest.</summary>
internal sealed class MisdescribedLayer(ILayer inner) : ILayer
{
    public Digest DiffId { get; } = Digest.Of($"layerbuilder fault layer-digest-mismatch: not {inner.DiffId}");

    public Digest Digest => inner.Digest == inner.DiffId ? DiffId : inner.Digest;

    public long Size => inner.Size;

    public string MediaType => inner.MediaType;

    public Task<Stream> OpenBlobAsync(CancellationToken cancellationToken = default) => inner.OpenBlobAsync(cancellationToken);
}
