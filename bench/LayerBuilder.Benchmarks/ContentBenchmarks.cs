using System.IO.Compression;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using ICSharpCode.SharpZipLib.GZip;
using LayerBuilder.FileSystem;
using LayerBuilder.Layers;

namespace LayerBuilder.Benchmarks;

/// <summary>
/// The per-byte work of a layer, on 64 MiB of compressible data: hashing (the BCL's SHA-256 is
/// OpenSSL), a whole layer write of one file through the read/hash/write pipeline, and gzip by the
/// runtime's zlib against SharpZipLib's managed deflate, and zstd.
/// </summary>
[MemoryDiagnoser]
public class ContentBenchmarks
{
    private const int Size = 64 << 20;
    private byte[] data = [];
    private string folder = "";
    private string source = "";

    [GlobalSetup]
    public void Setup()
    {
        data = new byte[Size];
        var random = new Random(42);
        for (var i = 0; i < data.Length; i += 4096)
        {
            // Half random, half repeated: roughly the compressibility of binaries.
            random.NextBytes(data.AsSpan(i, 2048));
        }

        folder = Directory.CreateTempSubdirectory("layerbuild-bench-").FullName;
        source = Path.Combine(folder, "source.bin");
        File.WriteAllBytes(source, data);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(folder, recursive: true);

    [Benchmark]
    public byte[] Sha256() => SHA256.HashData(data);

    [Benchmark]
    public async Task<long> LayerWriteOneFile()
    {
        var entry = new LayerEntry
        {
            Path = ImagePath.Parse("/data/source.bin"),
            Kind = EntryKind.File,
            Mode = Permissions.DefaultFile,
            Content = new HostFileContent(source, Size),
        };
        var blob = await LayerWriter.WriteAsync(Path.Combine(folder, "layer.tar"), [entry], null, CancellationToken.None);
        return blob.Size;
    }

    [Benchmark(Baseline = true)]
    public long GzipSystemIoCompression()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.Length;
    }

    [Benchmark]
    public long GzipSharpZipLib()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipOutputStream(output) { IsStreamOwner = false })
        {
            gzip.SetLevel(1);
            gzip.Write(data);
        }

        return output.Length;
    }

    [Benchmark]
    public long ZstdLevel3()
    {
        using var output = new MemoryStream();
        using (var zstd = new ZstdSharp.CompressionStream(output, 3, leaveOpen: true))
        {
            zstd.Write(data);
        }

        return output.Length;
    }
}
