using LayerBuilder.Image;

namespace LayerBuilder.Layers;

/// <summary>
/// A finished layer: an uncompressed tar on disk with its diff id (sha256 of exactly these bytes) and
/// size, both taken while it was written.
/// </summary>
public sealed record LayerBlob(string FilePath, Digest DiffId, long Size)
{
    /// <summary>Where the layer's bytes start in <see cref="FilePath"/>: 0 for a file of its own, the data
    /// offset for a layer written straight into the archive.</summary>
    public long Offset { get; init; }

    /// <summary>What the image history says created this layer.</summary>
    public string CreatedBy { get; init; } = "";

    /// <summary>True for layers taken from the cache: their bytes are hashed again while they are copied
    /// into the archive, and a mismatch fails the build instead of shipping them.</summary>
    public bool NeedsVerification { get; init; }

    /// <summary>The compressed form stored in an <c>oci</c> archive, when one was asked for.</summary>
    public CompressedBlob? Compressed { get; init; }
}
