using System.Text;
using System.Text.Json;
using LayerBuilder.Archive;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.RoundTrip;

/// <summary>
/// The classic docker layout, read back with SharpZipLib and System.Text.Json: config, manifest.json,
/// per-layer v1 folders and repositories all agree with each other and with the bytes they name.
/// </summary>
[TestFixture(SampleImage.Hello)]
[TestFixture(SampleImage.Rich)]
public sealed class DockerArchiveReadsBackTests(string sampleName)
{
    private SampleImage sample = null!;

    private ImageArchive Archive => sample.Archive;

    [OneTimeSetUp]
    public async Task Build() => sample = await SampleImage.BuildAsync(sampleName, ArchiveFormat.Docker);

    [OneTimeTearDown]
    public void CleanUp() => sample.Dispose();

    [Test]
    public void Config_digest_image_id_and_config_file_name_are_one_value()
    {
        var configName = Archive.Manifest.GetProperty("Config").GetString()!;
        var digest = ImageArchive.Sha256(Archive.Bytes(configName));

        Assert.That(configName, Does.Match("^[0-9a-f]{64}\\.json$"));
        Assert.That(digest, Is.EqualTo("sha256:" + configName[..64]));
        Assert.That(digest, Is.EqualTo(sample.Result.ImageId.ToString()));
    }

    [Test]
    public void Every_layer_hashes_to_its_diff_id_in_order()
    {
        var diffIds = DiffIds();
        var paths = Archive.LayerPaths;

        Assert.That(paths, Has.Count.EqualTo(diffIds.Count));
        for (var i = 0; i < paths.Count; i++)
        {
            Assert.That(ImageArchive.Sha256(Archive.Bytes(paths[i])), Is.EqualTo(diffIds[i]), $"layer {i} ({paths[i]})");
            Assert.That(sample.Result.Layers[i].DiffId.ToString(), Is.EqualTo(diffIds[i]));
            Assert.That(sample.Result.Layers[i].Size, Is.EqualTo(Archive.Bytes(paths[i]).Length));
        }
    }

    [Test]
    public void Layers_diff_ids_and_non_empty_history_entries_have_the_same_count()
    {
        var history = Archive.ConfigDocument.GetProperty("history").EnumerateArray()
            .Count(h => !(h.TryGetProperty("empty_layer", out var empty) && empty.GetBoolean()));

        Assert.That(Archive.LayerPaths, Has.Count.EqualTo(DiffIds().Count));
        Assert.That(history, Is.EqualTo(DiffIds().Count));
        Assert.That(DiffIds(), Has.Count.EqualTo(sampleName == SampleImage.Hello ? 2 : 4));
    }

    [Test]
    public void Legacy_json_files_chain_parents_in_manifest_order_and_only_the_top_has_the_config()
    {
        var ids = Archive.LayerPaths.Select(p => p[..p.IndexOf('/', StringComparison.Ordinal)]).ToList();

        Assert.That(Archive.LayerPaths, Is.EqualTo(ids.Select(id => id + "/layer.tar")));
        Assert.That(ids, Is.Unique);
        for (var i = 0; i < ids.Count; i++)
        {
            var json = Archive.Json(ids[i] + "/json");
            Assert.That(json.GetProperty("id").GetString(), Is.EqualTo(ids[i]));
            if (i == 0)
            {
                Assert.That(json.TryGetProperty("parent", out _), Is.False);
            }
            else
            {
                Assert.That(json.GetProperty("parent").GetString(), Is.EqualTo(ids[i - 1]), $"parent of layer {i}");
            }

            Assert.That(json.TryGetProperty("config", out _), Is.EqualTo(i == ids.Count - 1), $"config in layer {i}");
        }
    }

    [Test]
    public void VERSION_files_hold_exactly_1_0()
    {
        foreach (var path in Archive.LayerPaths)
        {
            var version = path.Replace("/layer.tar", "/VERSION", StringComparison.Ordinal);
            Assert.That(Archive.Bytes(version), Is.EqualTo("1.0"u8.ToArray()), version);
        }
    }

    [Test]
    public void Repositories_points_every_tag_at_the_top_layer_id()
    {
        var top = Archive.LayerPaths[^1].Split('/')[0];
        var repositories = Archive.Json("repositories");

        Assert.That(repositories.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { sample.FamiliarName }));
        var tags = repositories.GetProperty(sample.FamiliarName).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.That(tags, Is.EqualTo(sample.Tags.ToDictionary(t => t, _ => top)));
        Assert.That(Encoding.UTF8.GetString(Archive.Bytes("repositories")), Does.EndWith("}\n"));
    }

    [Test]
    public void Manifest_json_names_every_tag_in_familiar_form()
    {
        var repoTags = Archive.Manifest.GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()).ToList();

        Assert.That(Archive.Json("manifest.json").GetArrayLength(), Is.EqualTo(1));
        Assert.That(repoTags, Is.EqualTo(sample.Tags.Select(t => $"{sample.FamiliarName}:{t}")));
        Assert.That(sample.Result.RepoTags, Is.EqualTo(repoTags));
    }

    [Test]
    public void The_archive_holds_the_config_the_manifests_and_three_files_per_layer_nothing_else()
    {
        var expected = new List<string> { Archive.Manifest.GetProperty("Config").GetString()!, "manifest.json", "repositories" };
        foreach (var path in Archive.LayerPaths)
        {
            var id = path.Split('/')[0];
            expected.AddRange([id + "/VERSION", id + "/json", id + "/layer.tar"]);
        }

        Assert.That(Archive.Members.Select(m => m.Name), Is.EquivalentTo(expected));
    }

    [Test]
    public void The_config_carries_what_the_recipe_set()
    {
        var config = Archive.ConfigDocument;
        var runtime = config.GetProperty("config");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(config.GetProperty("os").GetString(), Is.EqualTo("linux"));
            Assert.That(config.GetProperty("architecture").GetString(), Is.EqualTo("amd64"));
            Assert.That(config.GetProperty("rootfs").GetProperty("type").GetString(), Is.EqualTo("layers"));
            if (sampleName == SampleImage.Hello)
            {
                Assert.That(config.GetProperty("created").GetString(), Is.EqualTo("2024-01-01T00:00:00Z"));
                Assert.That(Strings(runtime.GetProperty("Entrypoint")), Is.EqualTo(new[] { "/hello" }));
                Assert.That(Strings(runtime.GetProperty("Env")), Does.Contain("APP_VERSION=1.0"));
                Assert.That(runtime.GetProperty("Labels").GetProperty("org.opencontainers.image.version").GetString(), Is.EqualTo("1.0"));
            }
            else
            {
                Assert.That(config.GetProperty("created").GetString(), Is.EqualTo("2024-02-03T04:05:06Z"));
                Assert.That(Strings(runtime.GetProperty("Cmd")), Is.EqualTo(new[] { "--greet" }));
                Assert.That(runtime.GetProperty("User").GetString(), Is.EqualTo("app:app"));
                Assert.That(runtime.GetProperty("WorkingDir").GetString(), Is.EqualTo("/app"));
                Assert.That(runtime.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "8080/tcp", "53/udp" }));
                Assert.That(runtime.GetProperty("Volumes").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "/data" }));
                Assert.That(runtime.GetProperty("StopSignal").GetString(), Is.EqualTo("SIGTERM"));
                Assert.That(runtime.GetProperty("Healthcheck").GetProperty("Interval").GetInt64(), Is.EqualTo(30_000_000_000L));
                Assert.That(runtime.GetProperty("Healthcheck").GetProperty("Retries").GetInt32(), Is.EqualTo(3));
            }

            Assert.That(config.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("created").GetString()),
                Has.All.EqualTo(config.GetProperty("created").GetString()));
        }
    }

    private List<string> DiffIds() => Strings(Archive.ConfigDocument.GetProperty("rootfs").GetProperty("diff_ids"));

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();
}
