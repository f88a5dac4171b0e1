namespace LayerBuilder.Image;

/// <summary>
/// One layer of an image, as a manifest names it: the digest and size of its blob (compressed or not),
/// its media type, the diff id of its uncompressed tar, and its bytes. Layers LayerBuilder writes, takes
/// from its cache, reads from a base image or compresses are all this; a layer read from a registry or
/// pushed to one is the next.
/// </summary>
public interface ILayer
{
    /// <summary>sha256 of the blob as stored: what the manifest's layer descriptor names.</summary>
    Digest Digest { get; }

    /// <summary>sha256 of the uncompressed tar: what the config's <c>rootfs.diff_ids</c> names.</summary>
    Digest DiffId { get; }

    /// <summary>Length of the blob as stored.</summary>
    long Size { get; }

    /// <summary>The blob's media type (<see cref="MediaTypes"/>).</summary>
    string MediaType { get; }

    /// <summary>Opens the blob's bytes as stored, from the first to the last.</summary>
    Task<Stream> OpenBlobAsync(CancellationToken cancellationToken = default);
}
