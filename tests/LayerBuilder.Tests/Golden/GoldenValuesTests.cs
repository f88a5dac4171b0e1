using System.IO.Compression;
using LayerBuilder.Build;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Golden;

/// <summary>
/// The library builds each golden fixture, in each format, to exactly the committed values: the archive's
/// sha256, the image id, the manifest digest and the diff ids, as it reports them and as an independent
/// reader (Python) finds them in the bytes.
/// </summary>
public sealed class GoldenValuesTests
{
    [TestCaseSource(typeof(GoldenImages), nameof(GoldenImages.Cases))]
    public async Task The_library_builds_the_golden_bytes(GoldenImage golden)
    {
        using var temp = new TempDirectory();
        var archive = temp.Combine("image.tar");
        var recipe = RecipeParser.ParseFile(golden.Recipe);

        var result = await ImageBuilder.BuildAsync(new BuildRequest(recipe, archive) { Format = golden.ArchiveFormat, Compression = golden.Compression });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ImageId.ToString(), Is.EqualTo(golden.ImageId));
            Assert.That(result.ManifestDigest.ToString(), Is.EqualTo(golden.ManifestDigest));
            Assert.That(result.Layers.Select(l => l.DiffId.ToString()), Is.EqualTo(golden.DiffIds));
        }

        await GoldenImages.AssertArchiveAsync(archive, golden);
    }

    [TestCaseSource(typeof(GoldenImages), nameof(GoldenImages.Cases))]
    public async Task The_library_streams_the_golden_bytes(GoldenImage golden)
    {
        using var temp = new TempDirectory();
        var archive = temp.Combine("streamed.tar");
        var recipe = RecipeParser.ParseFile(golden.Recipe);

        await using (var stream = File.Create(archive))
        {
            await ImageBuilder.BuildAsync(BuildRequest.ToStream(recipe, stream) with
            {
                Format = golden.ArchiveFormat,
                Compression = golden.Compression,
                WorkDirectory = temp.Combine("work"),
            });
        }

        await GoldenImages.AssertArchiveAsync(archive, golden);
    }

    [Test]
    public void Every_fixture_is_golden_in_every_format()
    {
        var byFixture = GoldenImages.All.GroupBy(g => g.Fixture).ToDictionary(g => g.Key, g => g.Select(i => i.Format).ToList());

        Assert.That(byFixture.Keys, Is.EquivalentTo(new[] { "hello", "every-entry-kind" }));
        Assert.That(byFixture.Values, Has.All.EquivalentTo(new[] { "docker", "oci", "oci+gzip", "oci+zstd" }));
    }

    [Test]
    public async Task The_committed_fixture_tars_are_what_their_script_writes()
    {
        using var temp = new TempDirectory();
        var fixture = Path.Combine(GoldenImages.GoldenFolder, "every-entry-kind");
        File.Copy(Path.Combine(fixture, "make-tars.py"), temp.Combine("make-tars.py"));

        await Testing.ProcessRunner.RunCheckedAsync("python3", [temp.Combine("make-tars.py")]);

        Assert.That(await File.ReadAllBytesAsync(temp.Combine("base.tar")), Is.EqualTo(await File.ReadAllBytesAsync(Path.Combine(fixture, "base.tar"))));
        // The tar inside the gzip: the compressed bytes depend on the zlib the script runs with.
        Assert.That(Gunzip(temp.Combine("vendor.tar.gz")), Is.EqualTo(Gunzip(Path.Combine(fixture, "vendor.tar.gz"))));
    }

    private static byte[] Gunzip(string path)
    {
        using var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
