using System.IO.Compression;
using ICSharpCode.SharpZipLib.BZip2;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace LayerBuilder.Tests.Hostile;

/// <summary>Compressed copies of test tars, and the ways they get damaged: a flipped byte, a cut end.</summary>
public static class Compressed
{
    public static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] Bzip2(byte[] data)
    {
        var output = new MemoryStream();
        using (var bzip2 = new BZip2OutputStream(output) { IsStreamOwner = false })
        {
            bzip2.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>zstd with the frame checksum on, as the zstd tool writes by default.</summary>
    public static byte[] Zstd(byte[] data)
    {
        var output = new MemoryStream();
        using (var zstd = new CompressionStream(output, level: 3, leaveOpen: true))
        {
            zstd.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
            zstd.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>A copy with the byte at <paramref name="index"/> (negative: from the end) inverted.</summary>
    public static byte[] Flip(byte[] data, int index)
    {
        var copy = (byte[])data.Clone();
        copy[index < 0 ? copy.Length + index : index] ^= 0xFF;
        return copy;
    }

    /// <summary>A copy without its last <paramref name="count"/> bytes.</summary>
    public static byte[] Cut(byte[] data, int count) => data[..^count];

    /// <summary>Random bytes, the same for a seed: they do not compress, so damage to the compressed form lands in them.</summary>
    public static byte[] Noise(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
