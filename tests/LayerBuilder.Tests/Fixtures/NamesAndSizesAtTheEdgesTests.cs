using System.Diagnostics;
using LayerBuilder.Build;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Fixtures;

/// <summary>
/// Names and sizes at the edges of the tar format (docs/archive-formats.md, "PAX records written"): names
/// over 100 and over 255 bytes, a path over 4096 bytes, a long symlink target, and a file over 8 GiB,
/// sparse on the host and streamed. Read back by Python's tarfile (no product code): the exact names,
/// the PAX <c>path</c>, <c>linkpath</c> and <c>size</c> records, and the size.
/// </summary>
public sealed class NamesAndSizesAtTheEdgesTests
{
    private const long EightGiB = 8L << 30;

    /// <summary>The one-layer archive (the layer is written straight into it) and some room.</summary>
    private const long RequiredFreeBytes = EightGiB + (1L << 30);

    /// <summary>Each entry's name, link target, size and its PAX path/linkpath/size records, headers only
    /// (content is skipped, so an 8 GiB file costs no memory).</summary>
    private const string HeaderLister = """
        import json, sys, tarfile
        with tarfile.open(sys.argv[1]) as outer:
            for layer in json.load(outer.extractfile("manifest.json"))[0]["Layers"]:
                with tarfile.open(fileobj=outer.extractfile(layer), mode="r:") as tar:
                    for m in tar:
                        print(json.dumps({"name": m.name, "link": m.linkname, "size": m.size,
                                          "pax": sorted(k for k in m.pax_headers if k in ("path", "linkpath", "size"))}))
        """;

    [Test]
    public async Task Long_names_paths_and_targets_keep_every_byte()
    {
        using var temp = new TempDirectory();
        var name101 = "/" + new string('a', 101);
        var name256 = "/" + new string('b', 256);
        var deep = string.Concat(Enumerable.Range(0, 30).Select(i => "/" + new string((char)('c' + (i % 20)), 150)));
        var target = string.Concat(Enumerable.Repeat("../", 40)) + "target";
        var recipe = RecipeBuilder.FromScratch("fixtures/long")
            .Step(s => s.File(name101, "101").File(name256, "256").File(deep + "/file", "deep").Symlink("/link", target).File("/short", "s"))
            .Build();
        var archive = temp.Combine("long.tar");
        await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, archive));

        var entries = List(archive);

        Assert.That(deep.Length, Is.GreaterThan(4096));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries[name101[1..]].Pax, Is.EqualTo(new[] { "path" }));
            Assert.That(entries[name256[1..]].Pax, Is.EqualTo(new[] { "path" }));
            Assert.That(entries[deep[1..] + "/file"].Pax, Is.EqualTo(new[] { "path" }), "a path of more than 4096 bytes");
            Assert.That(entries["link"].Link, Is.EqualTo(target));
            Assert.That(entries["link"].Pax, Is.EqualTo(new[] { "linkpath" }));
            Assert.That(entries["short"].Pax, Is.Empty, "a name that fits needs no PAX header");
        }
    }

    [Test]
    public async Task A_file_over_8_GiB_is_streamed_with_a_pax_size()
    {
        using var temp = new TempDirectory();
        var free = new DriveInfo(temp.Path).AvailableFreeSpace;
        if (free < RequiredFreeBytes)
        {
            Assert.Ignore($"needs 9.7 GB free under {temp.Path} for the archive; {free / 1e9:F1} GB are free");
        }

        var big = temp.Combine("context", "big.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(big)!);
        using (var sparse = new FileStream(big, FileMode.CreateNew))
        {
            sparse.SetLength(EightGiB + 1);
            sparse.Position = EightGiB;
            sparse.WriteByte(0x42);
        }

        var recipe = RecipeBuilder.FromScratch("fixtures/big")
            .BaseDirectory(temp.Combine("context"))
            .Step(s => s.Copy("big.bin", "/data/big.bin"))
            .Check("/data/big.bin", size: EightGiB + 1)
            .Build();
        var archive = temp.Combine("big.tar");
        var result = await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, archive));

        var entry = List(archive)["data/big.bin"];

        Assert.That(result.Layers.Single().Size, Is.GreaterThan(EightGiB));
        Assert.That(entry.Size, Is.EqualTo(EightGiB + 1));
        Assert.That(entry.Pax, Is.EqualTo(new[] { "size" }));
    }

    private static Dictionary<string, (string Link, long Size, string[] Pax)> List(string archive)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(HeaderLister);
        start.ArgumentList.Add(archive);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.That(process.WaitForExit(TimeSpan.FromMinutes(5)), Is.True, "python3 finished");
        Assert.That(process.ExitCode, Is.Zero, stderr.Result);
        return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
            .ToDictionary(
                e => e.GetProperty("name").GetString()!,
                e => (e.GetProperty("link").GetString()!, e.GetProperty("size").GetInt64(), e.GetProperty("pax").EnumerateArray().Select(p => p.GetString()!).ToArray()));
    }
}
