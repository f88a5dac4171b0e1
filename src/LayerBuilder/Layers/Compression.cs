using ZstdSharp;

namespace LayerBuilder.Layers;

/// <summary>Recognizes compressed tars by their magic bytes (not their file names) and opens them.</summary>
internal static class Compression
{
    public enum Kind
    {
        None,
        Gzip,
        Bzip2,
        Zstd,
        Xz,
    }

    public static Kind Detect(ReadOnlySpan<byte> head) => head switch
    {
        [0x1F, 0x8B, ..] => Kind.Gzip,
        [(byte)'B', (byte)'Z', (byte)'h', ..] => Kind.Bzip2,
        [0x28, 0xB5, 0x2F, 0xFD, ..] => Kind.Zstd,
        [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00, ..] => Kind.Xz,
        _ => Kind.None,
    };

    /// <summary>
    /// Opens <paramref name="path"/> and returns a stream of its decompressed bytes. Read to its end, every
    /// stream checks its own trailer (gzip CRC and size, bzip2 block and stream CRCs, zstd checksum) and
    /// throws when the input is cut short. The bzip2 decompressor reads its first block when it is made,
    /// so this call can throw the same exceptions as a read.
    /// </summary>
    public static Stream OpenDecompressed(string path, out Kind kind)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        Span<byte> head = stackalloc byte[6];
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        file.Position = 0;
        kind = Detect(head[..read]);
        try
        {
            return kind switch
            {
                Kind.Gzip => new GzipEndCheck(file, path),
                Kind.Bzip2 => Bzip2Decoder.Open(file),
                Kind.Zstd => new DecompressionStream(file),
                Kind.None => file,
                _ => Fail(file, kind),
            };
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static Stream Fail(Stream file, Kind kind)
    {
        file.Dispose();
        throw new NotSupportedException($"{kind} compression is not supported; use gzip, bzip2 or zstd");
    }
}
