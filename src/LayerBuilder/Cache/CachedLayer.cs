using LayerBuilder.Image;
using LayerBuilder.Layers;
using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.Cache;

/// <summary>
/// A layer taken from the cache: a stored tar whose diff id and size come from the cache's record. Its
/// bytes can have rotted on disk since they were stored, so they are checked once before they are used
/// (<see cref="CachingLayerSource"/>); until then the layer is only what its record says, which is all an
/// unchanged archive needs.
/// </summary>
internal sealed class CachedLayer(FileLayer stored, Digest key) : LayerBlob
{
    public FileLayer Stored { get; } = stored;

    /// <summary>The cache key the layer was found under, to store it again should it be rebuilt.</summary>
    public Digest Key { get; } = key;

    public override Digest Digest => Stored.Digest;

    public override Digest DiffId => Stored.DiffId;

    public override long Size => Stored.Size;

    public override string MediaType => Stored.MediaType;

    public override (string Path, long Offset)? TarFile => Stored.TarFile;

    public override Stream OpenBlob() => Stored.OpenBlob();

    public override void CopyInto(SafeFileHandle output, long offset, CancellationToken cancellationToken) =>
        Stored.CopyInto(output, offset, cancellationToken);
}
