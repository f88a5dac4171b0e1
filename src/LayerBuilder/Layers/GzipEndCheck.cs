using System.Buffers.Binary;
using System.IO.Compression;
using ICSharpCode.SharpZipLib;
using ICSharpCode.SharpZipLib.GZip;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Layers;

/// <summary>
/// A gzip decompressor that notices a stream cut short. <see cref="GZipStream"/> checks the CRC of every
/// member whose trailer it reaches, but at the end of its input it simply stops, so a file that lost its
/// last bytes reads as a shorter, "valid" stream. At the end this stream compares the file's last four
/// bytes (ISIZE, the size of the last member modulo 2^32) with the bytes it produced: for the usual
/// single-member file that proves the trailer was there and was checked. When they differ (a cut file,
/// or several members one after the other) the file is read once more by a decompressor that checks
/// every member's trailer itself, so a valid multi-member file is never refused.
/// </summary>
internal sealed class GzipEndCheck(FileStream file, string path) : ReadOnlyStream
{
    private const int TrailerLength = 8;
    private const int SizeFieldOffset = 4;

    private readonly GZipStream inner = new(file, CompressionMode.Decompress);
    private long produced;
    private bool checkedEnd;

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = inner.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw Damaged(e);
        }

        return Count(read, buffer.Length);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw Damaged(e);
        }

        return Count(read, buffer.Length);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>GZipStream reports a failed CRC as "unsupported compression method"; say what it means.</summary>
    private static InvalidDataException Damaged(InvalidDataException e) =>
        new($"the gzip data or its CRC is wrong ({e.Message})", e);

    private int Count(int read, int requested)
    {
        produced += read;
        if (read == 0 && requested > 0 && !checkedEnd)
        {
            checkedEnd = true;
            CheckEnd();
        }

        return read;
    }

    private void CheckEnd()
    {
        Span<byte> trailer = stackalloc byte[TrailerLength];
        var length = RandomAccess.GetLength(file.SafeFileHandle);
        if (length >= TrailerLength && RandomAccess.Read(file.SafeFileHandle, trailer, length - TrailerLength) == TrailerLength &&
            BinaryPrimitives.ReadUInt32LittleEndian(trailer[SizeFieldOffset..]) == (uint)produced)
        {
            return;
        }

        // Rare: a cut stream, or a valid file of several members. GZipStream has checked the CRC of every
        // member it finished, so whatever the second reader finds wrong means the last member is cut short.
        try
        {
            using var again = new GZipInputStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan));
            again.CopyTo(Null, 1 << 16);
        }
        catch (Exception e) when (e is SharpZipBaseException or EndOfStreamException)
        {
            throw new EndOfStreamException($"the gzip stream ends before its trailer ({e.Message})", e);
        }
    }
}
