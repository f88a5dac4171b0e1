using LayerBuilder.Image;
using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.Layers;

/// <summary>
/// A layer blob in a file of its own: one LayerBuilder wrote (staged or in the cache), a compressed form
/// of one, or a base image's layer. Its digest was taken while the bytes were written or checked when
/// it was read, so copying it needs no hashing: the kernel moves it (<see cref="FileCopy"/>).
/// </summary>
internal sealed class FileLayer(string filePath, Digest digest, Digest diffId, long size, string mediaType) : LayerBlob
{
    /// <summary>An uncompressed layer tar: its digest is its diff id.</summary>
    public FileLayer(string filePath, Digest diffId, long size)
        : this(filePath, diffId, diffId, size, MediaTypes.Layer)
    {
    }

    public string FilePath { get; } = filePath;

    public override Digest Digest { get; } = digest;

    public override Digest DiffId { get; } = diffId;

    public override long Size { get; } = size;

    public override string MediaType { get; } = mediaType;

    public override (string Path, long Offset)? TarFile => MediaType == MediaTypes.Layer ? (FilePath, 0) : null;

    public override Stream OpenBlob() =>
        new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);

    public override void CopyInto(SafeFileHandle output, long offset, CancellationToken cancellationToken)
    {
        using var source = File.OpenHandle(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (RandomAccess.GetLength(source) != Size)
        {
            throw new IOException($"the layer file {FilePath} changed size while the archive was written");
        }

        FileCopy.Copy(source, 0, output, offset, Size);
    }
}
