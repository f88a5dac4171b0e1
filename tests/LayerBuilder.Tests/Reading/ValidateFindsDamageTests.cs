using System.Text;
using System.Text.Json.Nodes;
using LayerBuilder.Archive;
using LayerBuilder.Diagnostics;
using LayerBuilder.Layers;
using LayerBuilder.Reading;

namespace LayerBuilder.Tests.Reading;

/// <summary>
/// Validation is empty on good archives and finds each kind of damage in corrupted copies of them, with
/// exactly the codes of that damage (docs/diagnostics.md, LB4xxx); opening the same copy fails with its
/// LB2xxx code when the damage leaves the image unreadable, and succeeds when it does not.
/// </summary>
[TestFixture]
public sealed class ValidateFindsDamageTests
{
    private static readonly string OtherDigest = ArchiveCopy.Sha256("other"u8.ToArray());

    private ReaderFixture fixture = null!;
    private string docker = "";
    private string oci = "";
    private string ociGzip = "";

    /// <summary>A damaged copy: how it is made, the findings it must give, and what opening it does.</summary>
    public sealed record Damage(string Name, ArchiveFormat Format, LayerCompression Compression, Action<ArchiveCopy> Change, string[] Codes, string? OpenCode)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Damage> Table()
    {
        var none = LayerCompression.None;
        yield return new("docker: a flipped byte in a layer's file content", ArchiveFormat.Docker, none,
            c => c.Flip(Layers(c)[1], IndexOf(c[Layers(c)[1]], "echo run")), ["LB4003"], null);
        yield return new("docker: a wrong diff id in the config", ArchiveFormat.Docker, none,
            c => ChangeConfig(c, config => config["rootfs"]!["diff_ids"]![1] = OtherDigest), ["LB4003"], null);
        yield return new("docker: a config whose name is not its digest", ArchiveFormat.Docker, none,
            c => RenameConfig(c, OtherDigest[7..] + ".json"), ["LB4001"], "LB2018");
        yield return new("docker: manifest.json pointing at a missing config", ArchiveFormat.Docker, none,
            c => EditManifestJson(c, m => m[0]!["Config"] = OtherDigest[7..] + ".json"), ["LB4005"], "LB2019");
        yield return new("docker: a missing layer", ArchiveFormat.Docker, none,
            c => c.Remove(Layers(c)[2]), ["LB4005"], "LB2019");
        yield return new("docker: fewer layers than diff ids", ArchiveFormat.Docker, none,
            c => EditManifestJson(c, m => m[0]!["Layers"]!.AsArray().RemoveAt(2)), ["LB4004", "LB4006"], "LB2019");
        yield return new("docker: repositories naming another top layer", ArchiveFormat.Docker, none,
            c => c.SetJson("repositories", JsonNode.Parse("""{"example/reader":{"1.0":"0000","latest":"0000"}}""")!), ["LB4006"], null);
        yield return new("docker: repositories naming an image manifest.json lacks", ArchiveFormat.Docker, none,
            c => AddRepository(c, "example/other", "2.0"), ["LB4006"], null);
        yield return new("docker: a v1 layer json naming another parent", ArchiveFormat.Docker, none,
            c => EditLayerJson(c, 2, j => j["parent"] = "0000"), ["LB4015"], null);
        yield return new("docker: a v1 layer json naming another id", ArchiveFormat.Docker, none,
            c => EditLayerJson(c, 0, j => j["id"] = "0000"), ["LB4015"], null);
        yield return new("docker: a layer whose first header's checksum is wrong", ArchiveFormat.Docker, none,
            c => c.Flip(Layers(c)[1], 0), ["LB4008", "LB4003"], null);
        yield return new("docker: a config that is not JSON", ArchiveFormat.Docker, none,
            c => c[ConfigName(c)] = "{\"rootfs\":"u8.ToArray(), ["LB4009"], "LB2019");
        yield return new("oci: a flipped byte in a layer blob", ArchiveFormat.Oci, none,
            c => c.Flip(Layers(c)[1], IndexOf(c[Layers(c)[1]], "echo run")), ["LB4001", "LB4003"], null);
        yield return new("oci: a wrong manifest size in index.json", ArchiveFormat.Oci, none,
            c => EditIndex(c, d => d["size"] = d["size"]!.GetValue<long>() + 1), ["LB4002"], "LB2018");
        yield return new("oci: a missing layer blob", ArchiveFormat.Oci, none,
            c => c.Remove(Layers(c)[0]), ["LB4005"], "LB2019");
        yield return new("oci: a missing manifest blob", ArchiveFormat.Oci, none,
            c => c.Remove(ArchiveCopy.BlobName(IndexDigest(c))), ["LB4005", "LB4006"], "LB2019");
        yield return new("oci: an unknown media type in index.json", ArchiveFormat.Oci, none,
            c => EditIndex(c, d => d["mediaType"] = "application/x-unknown"), ["LB4006", "LB4007"], null);
        yield return new("oci: manifest.json disagreeing with the manifest", ArchiveFormat.Oci, none,
            c => EditManifestJson(c, m => m[0]!["Layers"] = new JsonArray(m[0]!["Layers"]!.AsArray().Reverse().Select(l => (JsonNode?)l!.GetValue<string>()).ToArray())), ["LB4006"], null);
        yield return new("oci: no oci-layout file", ArchiveFormat.Oci, none,
            c => c.Remove("oci-layout"), ["LB4005"], null);
        yield return new("oci+gzip: a layer blob cut short", ArchiveFormat.Oci, LayerCompression.Gzip,
            c => c[Layers(c)[1]] = c[Layers(c)[1]][..^8], ["LB4001", "LB4002", "LB4008"], null);
    }

    [OneTimeSetUp]
    public async Task BuildGoodArchives()
    {
        fixture = ReaderFixture.Create();
        docker = (await fixture.BuildAsync("docker.tar", ArchiveFormat.Docker)).Path;
        oci = (await fixture.BuildAsync("oci.tar", ArchiveFormat.Oci)).Path;
        ociGzip = (await fixture.BuildAsync("oci-gzip.tar", ArchiveFormat.Oci, LayerCompression.Gzip)).Path;
    }

    [OneTimeTearDown]
    public void RemoveFixture() => fixture.Dispose();

    [Test]
    public async Task GoodArchivesHaveNoFindings()
    {
        foreach (var path in new[] { docker, oci, ociGzip })
        {
            Assert.That(await ImageArchive.ValidateAsync(path), Is.Empty, path);

            // The copy tool itself changes nothing: a copy with no change is still valid.
            var copy = Path.Combine(fixture.Folder, "unchanged-" + Path.GetFileName(path));
            new ArchiveCopy(path).WriteTo(copy);
            Assert.That(await ImageArchive.ValidateAsync(copy), Is.Empty, copy);
        }
    }

    [TestCaseSource(nameof(Table))]
    public async Task FindsTheDamageAndOpeningFailsOnlyWhenTheImageIsUnreadable(Damage damage)
    {
        var good = damage.Format == ArchiveFormat.Docker ? docker : damage.Compression == LayerCompression.Gzip ? ociGzip : oci;
        var copy = new ArchiveCopy(good);
        damage.Change(copy);
        var path = copy.WriteTo(Path.Combine(fixture.Folder, $"damaged-{Guid.NewGuid():N}.tar"));

        var findings = await ImageArchive.ValidateAsync(path);
        Assert.Multiple(() =>
        {
            Assert.That(findings.Select(f => f.Code.Id).Distinct().Order(), Is.EqualTo(damage.Codes.Order()), string.Join("\n", findings));
            Assert.That(findings.Select(f => f.Position.File), Has.All.EqualTo(path));
            Assert.That(findings.Select(f => f.Message), Has.All.Contain(path), "each finding names the archive");
            Assert.That(findings.Select(f => f.Message), Has.None.Contain("\n"), "one line each");
        });

        if (damage.OpenCode is null)
        {
            var archive = await ImageArchive.OpenAsync(path);
            Assert.That(archive.Images, Is.Not.Empty);
            Assert.That((await archive.ValidateAsync()).Select(f => f.Code.Id).Distinct().Order(), Is.EqualTo(damage.Codes.Order()), "the opened archive finds the same");
        }
        else
        {
            var e = Assert.ThrowsAsync<LayerBuildException>(() => ImageArchive.OpenAsync(path));
            Assert.That(e!.Diagnostics.Single().Code.Id, Is.EqualTo(damage.OpenCode), e.Message);
            Assert.That(e.Message, Does.Contain(path));
        }
    }

    private static JsonArray ManifestJson(ArchiveCopy copy) => copy.Json("manifest.json").AsArray();

    private static List<string> Layers(ArchiveCopy copy) => ManifestJson(copy)[0]!["Layers"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();

    private static string ConfigName(ArchiveCopy copy) => ManifestJson(copy)[0]!["Config"]!.GetValue<string>();

    private static string IndexDigest(ArchiveCopy copy) => copy.Json("index.json")["manifests"]![0]!["digest"]!.GetValue<string>();

    /// <summary>Changes the legacy <c>ID/json</c> beside layer <paramref name="index"/> of the classic layout.</summary>
    private static void EditLayerJson(ArchiveCopy copy, int index, Action<JsonObject> change)
    {
        var name = Layers(copy)[index][..^"layer.tar".Length] + "json";
        var json = copy.Json(name).AsObject();
        change(json);
        copy.SetJson(name, json);
    }

    private static void EditManifestJson(ArchiveCopy copy, Action<JsonArray> change)
    {
        var manifest = ManifestJson(copy);
        change(manifest);
        copy.SetJson("manifest.json", manifest);
    }

    private static void EditIndex(ArchiveCopy copy, Action<JsonObject> change)
    {
        var index = copy.Json("index.json");
        foreach (var descriptor in index["manifests"]!.AsArray())
        {
            change(descriptor!.AsObject());
        }

        copy.SetJson("index.json", index);
    }

    /// <summary>Changes the classic config and stores it under its new digest, so only the change is wrong.</summary>
    private static void ChangeConfig(ArchiveCopy copy, Action<JsonNode> change)
    {
        var name = ConfigName(copy);
        var config = copy.Json(name);
        change(config);
        copy.Remove(name);
        var bytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        var renamed = ArchiveCopy.Sha256(bytes)[7..] + ".json";
        copy[renamed] = bytes;
        EditManifestJson(copy, m => m[0]!["Config"] = renamed);
    }

    private static void RenameConfig(ArchiveCopy copy, string to)
    {
        copy.Rename(ConfigName(copy), to);
        EditManifestJson(copy, m => m[0]!["Config"] = to);
    }

    private static void AddRepository(ArchiveCopy copy, string repository, string tag)
    {
        var repositories = copy.Json("repositories");
        repositories[repository] = new JsonObject { [tag] = "0000" };
        copy.SetJson("repositories", repositories);
    }

    private static int IndexOf(byte[] bytes, string text)
    {
        var at = bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(text));
        Assert.That(at, Is.GreaterThanOrEqualTo(0), $"'{text}' is in the member");
        return at;
    }
}
