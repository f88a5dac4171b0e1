using System.Security.Cryptography;
using System.Text.Json;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Streaming;

/// <summary>
/// The image commands read a layer as a stream, never whole: for an image with a 3 GiB file (sparse on
/// the host), <c>inspect --merged</c> and <c>verify</c> run in a CLI process whose GC heap is capped at
/// 96 MB, and the content digest of the file, computed while the layer streamed past, is the digest of
/// 3 GiB of zeros. No time is asserted; bench/run.sh measures speed and memory.
/// </summary>
[Category("Slow")]
public sealed class LargeLayerReadsThroughSmallHeapTests
{
    private const long FileSize = 3L << 30;
    private const long RequiredFreeBytes = 4_500_000_000;
    private const string HeapLimit = "0x6000000"; // 96 MB

    [Test]
    public void Inspect_merged_and_verify_read_a_3_GiB_layer_under_a_96_MB_heap()
    {
        using var temp = new TempDirectory();
        var free = new DriveInfo(temp.Path).AvailableFreeSpace;
        if (free < RequiredFreeBytes)
        {
            Assert.Ignore($"needs 4.5 GB free under {temp.Path} for the archive; {free / 1e9:F1} GB are free");
        }

        using (var big = File.Create(temp.Combine("big.bin")))
        {
            big.SetLength(FileSize);
        }

        temp.WriteFile("layerbuild.yml", "image: example/big\nsteps:\n  - copy:\n      - { src: big.bin, dest: /data/big.bin }\n");
        var build = LayerBuilderCli.Run(["layerbuild.yml", "-o", "big.tar", "--no-cache"], temp.Path, timeout: TimeSpan.FromMinutes(20));
        Assert.That(build.ExitCode, Is.Zero, build.Transcript);
        File.Delete(temp.Combine("big.bin"));
        var smallHeap = new Dictionary<string, string?> { ["DOTNET_GCHeapHardLimit"] = HeapLimit };

        var inspect = LayerBuilderCli.Run(["inspect", "big.tar", "--merged", "--json"], temp.Path, smallHeap, timeout: TimeSpan.FromMinutes(20));
        var verify = LayerBuilderCli.Run(["verify", "big.tar"], temp.Path, smallHeap, timeout: TimeSpan.FromMinutes(20));

        Assert.That(inspect.ExitCode, Is.Zero, inspect.Transcript);
        var file = JsonDocument.Parse(inspect.StdOut).RootElement.GetProperty("merged").EnumerateArray().Single(e => e.GetProperty("path").GetString() == "data/big.bin");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(file.GetProperty("size").GetInt64(), Is.EqualTo(FileSize));
            Assert.That(file.GetProperty("sha256").GetString(), Is.EqualTo(ZerosDigest(FileSize)));
            Assert.That(verify.ExitCode, Is.Zero, verify.Transcript);
        }
    }

    private static string ZerosDigest(long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var zeros = new byte[1 << 20];
        for (long done = 0; done < length; done += zeros.Length)
        {
            hash.AppendData(zeros, 0, (int)Math.Min(zeros.Length, length - done));
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
