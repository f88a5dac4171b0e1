using LayerBuilder.Image;
using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.Layers;

/// <summary>
/// A layer whose blob LayerBuilder can put into an archive. Each kind knows the cheapest way to copy
/// itself: a file on disk lets the kernel move it, a layer already written in place moves nothing.
/// </summary>
internal abstract class LayerBlob : ILayer
{
    public abstract Digest Digest { get; }

    public abstract Digest DiffId { get; }

    public abstract long Size { get; }

    public abstract string MediaType { get; }

    /// <summary>The size when it is known without work: every kind's, but a pulled layer's tar not made yet
    /// (docs/decisions.md D79), whose length is known only once its blob is decompressed.</summary>
    public virtual long? KnownSize => Size;

    /// <summary>This blob, or the one standing for it, once its bytes can be read: a pulled layer's tar is
    /// made here the first time (D79); every other kind is readable as it is.</summary>
    public virtual Task<LayerBlob> ReadableAsync(CancellationToken cancellationToken) => Task.FromResult(this);

    /// <summary>Opens the blob's bytes; a kind that must check its file first does so here.</summary>
    public virtual Task<Stream> OpenBlobAsync(CancellationToken cancellationToken = default) => Task.FromResult(OpenBlob());

    /// <summary>Opens the blob's bytes: every kind LayerBuilder makes is a file it can open at once.</summary>
    public abstract Stream OpenBlob();

    /// <summary>Writes the blob into <paramref name="output"/> at <paramref name="offset"/> (the archive file).</summary>
    public abstract void CopyInto(SafeFileHandle output, long offset, CancellationToken cancellationToken);

    /// <summary>The file and offset the uncompressed tar lies at, for reading entries of it back (a later
    /// step's copy-up); null when the blob is not an uncompressed tar on disk.</summary>
    public abstract (string Path, long Offset)? TarFile { get; }

    public override string ToString() => $"{MediaType} {Digest} ({Size} bytes)";
}
