using System.Text;
using System.Text.Json;
using ICSharpCode.SharpZipLib.Tar;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Streaming;

/// <summary>
/// Layers are streamed, never held in memory: a 3 GiB file goes into an image built by a CLI process
/// whose GC heap is capped at 96 MB, and the archive it writes is consistent, checked in one streaming
/// pass here too.
/// </summary>
[Category("Slow")]
public sealed class LargeFileStreamsThroughSmallHeapTests
{
    private const long FileSize = 3L << 30;
    // The archive (3.2 GB): a one-layer image's layer is written straight into it, and --no-cache keeps
    // a second copy out of the cache; plus a margin.
    private const long RequiredFreeBytes = 4_500_000_000;

    [Test]
    public void A_3_GiB_file_builds_under_a_96_MB_heap_and_its_layer_hashes_to_its_diff_id()
    {
        using var temp = new TempDirectory();
        var free = new DriveInfo(temp.Path).AvailableFreeSpace;
        if (free < RequiredFreeBytes)
        {
            Assert.Ignore($"needs 4.5 GB free under {temp.Path} for the archive; {free / 1e9:F1} GB are free");
        }

        using (var big = File.Create(temp.Combine("big.bin")))
        {
            big.SetLength(FileSize); // sparse: no disk used, reads as zeros
        }

        temp.WriteFile("layerbuild.yml", "image: example/big\ncreated: \"2024-01-01T00:00:00Z\"\nsteps:\n  - copy:\n      - { src: big.bin, dest: /data/big.bin }\n");
        var output = temp.Combine("out", "big.tar");

        var run = LayerBuilderCli.Run(
            ["layerbuild.yml", "-o", output, "--no-cache"],
            temp.Path,
            new Dictionary<string, string?> { ["DOTNET_GCHeapHardLimit"] = "0x6000000" },
            timeout: TimeSpan.FromMinutes(20));

        Assert.That(run.ExitCode, Is.Zero, run.Transcript);
        var archive = ReadStreaming(output);
        var config = JsonDocument.Parse(archive.Small[JsonDocument.Parse(archive.Small["manifest.json"]).RootElement[0].GetProperty("Config").GetString()!]).RootElement;
        var manifest = JsonDocument.Parse(archive.Small["manifest.json"]).RootElement[0];
        var diffId = config.GetProperty("rootfs").GetProperty("diff_ids")[0].GetString();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(manifest.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()), Is.EqualTo(new[] { archive.LayerName }));
            Assert.That(archive.LayerSha256, Is.EqualTo(diffId), "sha256 of layer.tar as stored in the archive");
            Assert.That(run.StdOut, Does.Contain($"Layer:     {diffId}"), "the diff id the CLI reported");
            Assert.That(archive.BigFileName, Is.EqualTo("data/big.bin"));
            Assert.That(archive.BigFileDeclaredSize, Is.EqualTo(FileSize));
            Assert.That(archive.BigFileBytesRead, Is.EqualTo(FileSize));
            Assert.That(archive.BigFileAllZero, Is.True, "the content is the sparse file's zeros");
            Assert.That(archive.LayerLength, Is.EqualTo(512 + 512 + FileSize + 1024), "headers of data/ and data/big.bin, the content, two end blocks");
        }
    }

    /// <summary>One pass over the outer archive: small members kept, the layer hashed and parsed as it streams.</summary>
    private static StreamedArchive ReadStreaming(string path)
    {
        var result = new StreamedArchive();
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var outer = new TarInputStream(file, Encoding.UTF8);
        while (outer.GetNextEntry() is { } entry)
        {
            if (!entry.Name.EndsWith("/layer.tar", StringComparison.Ordinal))
            {
                using var small = new MemoryStream();
                outer.CopyEntryContents(small);
                result.Small[entry.Name] = small.ToArray();
                continue;
            }

            Assert.That(result.LayerName, Is.Null, "one layer expected");
            result.LayerName = entry.Name;
            using var hashing = new HashingReadStream(outer);
            using (var inner = new TarInputStream(hashing, Encoding.UTF8) { IsStreamOwner = false })
            {
                while (inner.GetNextEntry() is { } member)
                {
                    if (member.IsDirectory)
                    {
                        continue;
                    }

                    result.BigFileName = member.Name;
                    result.BigFileDeclaredSize = member.Size;
                    var buffer = new byte[1 << 20];
                    int read;
                    while ((read = inner.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        result.BigFileBytesRead += read;
                        result.BigFileAllZero &= !buffer.AsSpan(0, read).ContainsAnyExcept((byte)0);
                    }
                }
            }

            result.LayerSha256 = hashing.Finish();
            result.LayerLength = hashing.BytesRead;
        }

        return result;
    }

    private sealed class StreamedArchive
    {
        public Dictionary<string, byte[]> Small { get; } = new(StringComparer.Ordinal);

        public string? LayerName { get; set; }

        public string LayerSha256 { get; set; } = "";

        public long LayerLength { get; set; }

        public string BigFileName { get; set; } = "";

        public long BigFileDeclaredSize { get; set; }

        public long BigFileBytesRead { get; set; }

        public bool BigFileAllZero { get; set; } = true;
    }
}
