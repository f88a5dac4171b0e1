using LayerBuilder.Diagnostics;
using LayerBuilder.Tests.Hostile;
using LayerBuilder.Tests.Support;
using ImageArchive = LayerBuilder.Reading.ImageArchive;

namespace LayerBuilder.Tests.Reading;

/// <summary>
/// Hostile and damaged inputs of the build's own hostile tests, handed to the public reader: each is
/// refused with its LB code and a one-line message naming the archive (and the member where there is
/// one), never another exception.
/// </summary>
[TestFixture]
public sealed class ReaderRefusesHostileInputTests
{
    private const int OneGiB = 1 << 30;

    public static IEnumerable<TestCaseData> OuterTars()
    {
        yield return new TestCaseData(HostileTarTable.Bomb('L', OneGiB), "LB2022", "GNU long name").SetName("outer tar with a 1 GiB GNU long name");
        yield return new TestCaseData(HostileTarTable.Bomb('x', OneGiB), "LB2022", "PAX extended header").SetName("outer tar with a 1 GiB PAX header");
        yield return new TestCaseData(Compressed.Gzip(HostileTarTable.Bomb('x', OneGiB)), "LB2022", "PAX extended header").SetName("gzipped outer tar with a 1 GiB PAX header");
        yield return new TestCaseData(Compressed.Flip(Compressed.Gzip(HostileTarTable.Sample()), -8), "LB2023", "damaged").SetName("gzipped outer tar with a bad CRC");
        yield return new TestCaseData(new HandTar().File("a", "x").ToArray(end: false), "LB2023", "end-of-archive").SetName("outer tar without its end-of-archive block");
        yield return new TestCaseData(new HandTar().File("../evil", "x").ToArray(), "LB2014", "climbs").SetName("outer tar with an entry that climbs out");
        yield return new TestCaseData("just some text, not a tar at all........................................................................."u8.ToArray(), "LB2024", "not a readable tar").SetName("a text file");
    }

    [TestCaseSource(nameof(OuterTars))]
    public void RefusesAnOuterTar(byte[] bytes, string code, string words)
    {
        using var temp = new TempDirectory();
        var path = temp.WriteFile("hostile.tar", bytes);
        AssertRefused(() => ImageArchive.OpenAsync(path), code, path, words);
        AssertRefused(() => ImageArchive.ValidateAsync(path), code, path, words);
    }

    [Test]
    public void RefusesAMissingPath()
    {
        using var temp = new TempDirectory();
        AssertRefused(() => ImageArchive.OpenAsync(temp.Combine("missing.tar")), "LB2001", temp.Combine("missing.tar"), "does not exist");
    }

    [Test]
    public void RefusesATarWithoutImageMetadata()
    {
        using var temp = new TempDirectory();
        var path = temp.WriteFile("plain.tar", HostileTarTable.Sample());
        AssertRefused(() => ImageArchive.OpenAsync(path), "LB2019", path, "neither manifest.json nor index.json");
    }

    [Test]
    public void RefusesAManifestJsonBombBeforeReadingIt()
    {
        using var temp = new TempDirectory();
        var folder = HandWrittenBaseImage.WriteDockerSave(temp.Combine("save"), manifest: "[" + string.Concat(Enumerable.Repeat("{},", 70_000)) + "{}]");
        AssertRefused(() => ImageArchive.OpenAsync(folder), "LB2022", folder, "manifest.json");
    }

    [Test]
    public void RefusesAConfigFieldOfTheWrongType()
    {
        using var temp = new TempDirectory();
        var folder = HandWrittenBaseImage.WriteDockerSave(temp.Combine("save"), (_, config) => config["config"]!["Env"] = new System.Text.Json.Nodes.JsonArray(1, 2));
        AssertRefused(() => ImageArchive.OpenAsync(folder), "LB2019", folder, "config.Env[0] must be a string");
    }

    [Test]
    public async Task RefusesALayerEntryThatClimbsOutWhenTheEntriesAreRead()
    {
        using var temp = new TempDirectory();
        var layer = new HandTar().File("../../etc/shadow", "x").ToArray();
        var folder = HandWrittenBaseImage.WriteDockerSave(temp.Combine("save"), (_, config) => config["rootfs"]!["diff_ids"] = new System.Text.Json.Nodes.JsonArray(HandWrittenBaseImage.Sha256(layer)));
        File.WriteAllBytes(Path.Combine(folder, "layer.tar"), layer);

        var archive = await ImageArchive.OpenAsync(folder);
        AssertRefused(async () => await archive.Images[0].Layers[0].ReadEntriesAsync().ToListAsync(), "LB2014", folder, "layer 1 of hand/base:1.0 ('layer.tar')", "climbs");
        var findings = await archive.ValidateAsync();
        Assert.That(findings.Select(f => f.Code.Id), Is.EqualTo(new[] { "LB4010" }), "validation names the member and reads on: " + string.Join("\n", findings));
    }

    [Test]
    public async Task RefusesADamagedLayerWhenItIsRead()
    {
        using var temp = new TempDirectory();
        var layer = Compressed.Flip(Compressed.Gzip(HostileTarTable.Sample()), -8);
        var folder = HandWrittenBaseImage.WriteDockerSave(temp.Combine("save"));
        File.WriteAllBytes(Path.Combine(folder, "layer.tar"), layer);

        var archive = await ImageArchive.OpenAsync(folder);
        AssertRefused(async () => await archive.Images[0].Layers[0].ReadEntriesAsync().ToListAsync(), "LB2023", folder, "layer 1 of hand/base:1.0", "damaged");
        AssertRefused(async () =>
        {
            await using var tar = await archive.Images[0].Layers[0].OpenTarAsync();
            await tar.CopyToAsync(Stream.Null);
        }, "LB2023", folder, "damaged");
    }

    private static void AssertRefused(AsyncTestDelegate action, string code, params string[] words)
    {
        var e = Assert.ThrowsAsync<LayerBuildException>(action);
        var diagnostic = e!.Diagnostics.Single();
        Assert.That(diagnostic.Code.Id, Is.EqualTo(code), diagnostic.Message);
        Assert.That(diagnostic.Message, Does.Not.Contain("\n"), "one line");
        foreach (var word in words)
        {
            Assert.That(diagnostic.Message, Does.Contain(word));
        }
    }
}
