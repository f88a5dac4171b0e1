using System.Text.Json.Nodes;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Hostile;

/// <summary>
/// A base image's JSON (manifest.json, index.json, image manifests, the config) is read from an input
/// nobody vouches for. Whatever shape it has (a field of the wrong type, a config path that is missing,
/// climbs with '..' or is absolute, a file of hundreds of MiB), the build ends with LB2019 (or LB2022
/// for a file over the size limit) at the recipe's base, naming the file and the field, exit 1.
/// </summary>
public sealed class BaseImageMetadataTests
{
    private const string Recipe = "image: example/on-hand-base\ncreated: \"2024-01-01T00:00:00Z\"\nbase: { image: \"{base}\" }\n";
    private const string LayoutRecipe = "image: example/on-hand-base\ncreated: \"2024-01-01T00:00:00Z\"\nbase: { layout: \"{base}\" }\n";
    private const int BaseLine = 3;
    private const int ImageColumn = 16;
    private const int LayoutColumn = 17;

    /// <summary>Over the 16 MiB limit for one JSON file of a base image.</summary>
    private static readonly string HugeText = new('x', 17 << 20);

    private static IEnumerable<TestCaseData> DockerSaveCases()
    {
        static TestCaseData Case(string name, Action<JsonArray, JsonObject> change, string code, params string[] words) =>
            new TestCaseData(change, code, words).SetName("Docker save base: " + name);

        yield return Case("Config names a missing member", (m, _) => m[0]!["Config"] = "missing.json", "LB2019", "manifest.json", "'missing.json'");
        yield return Case("Config climbs out with '..'", (m, _) => m[0]!["Config"] = "../outside.json", "LB2019", "manifest.json", "'../outside.json'");
        yield return Case("Config is an absolute path", (m, _) => m[0]!["Config"] = "/config.json", "LB2019", "manifest.json", "'/config.json'");
        yield return Case("Config is a number", (m, _) => m[0]!["Config"] = 42, "LB2019", "manifest.json", "[0].Config", "a string");
        yield return Case("Config is absent", (m, _) => m[0]!.AsObject().Remove("Config"), "LB2019", "manifest.json", "[0].Config");
        yield return Case("RepoTags is a string", (m, _) => m[0]!["RepoTags"] = "hand/base:1.0", "LB2019", "manifest.json", "[0].RepoTags", "a list");
        yield return Case("a RepoTag is a number", (m, _) => m[0]!["RepoTags"] = new JsonArray(1), "LB2019", "manifest.json", "[0].RepoTags[0]", "a string");
        yield return Case("a layer path is a number", (m, _) => m[0]!["Layers"] = new JsonArray(7), "LB2019", "manifest.json", "[0].Layers[0]", "a string");
        yield return Case("a layer path is absolute", (m, _) => m[0]!["Layers"] = new JsonArray("/layer.tar"), "LB2019", "manifest.json", "'/layer.tar'");
        yield return Case("an image entry is not an object", (m, _) => m[0] = 1, "LB2019", "manifest.json", "[0]", "an object");
        yield return Case("diff ids hold a number", (_, c) => c["rootfs"]!["diff_ids"] = new JsonArray(1), "LB2019", "config.json", "rootfs.diff_ids[0]", "a string");
        yield return Case("rootfs is a string", (_, c) => c["rootfs"] = "layers", "LB2019", "config.json", "rootfs", "an object");
        yield return Case("os is a number", (_, c) => c["os"] = 5, "LB2019", "config.json", "os", "a string");
        yield return Case("history is a string", (_, c) => c["history"] = "none", "LB2019", "config.json", "history", "a list");
        yield return Case("config is a list", (_, c) => c["config"] = new JsonArray(), "LB2019", "config.json", "config", "an object");
        yield return Case("Env holds a number", (_, c) => c["config"]!["Env"] = new JsonArray(1), "LB2019", "config.json", "config.Env[0]", "a string");
        yield return Case("Cmd is a number", (_, c) => c["config"]!["Cmd"] = 5, "LB2019", "config.json", "config.Cmd", "a string");
        yield return Case("a label value is a number", (_, c) => c["config"]!["Labels"] = new JsonObject { ["a"] = 1 }, "LB2019", "config.json", "config.Labels.a", "a string");
        yield return Case("healthcheck retries in words", (_, c) => c["config"]!["Healthcheck"]!["Retries"] = "three", "LB2019", "config.json", "config.Healthcheck.Retries", "a whole number");
        yield return Case("User is an object", (_, c) => c["config"]!["User"] = new JsonObject(), "LB2019", "config.json", "config.User", "a string");
        yield return Case("manifest.json over the size limit", (m, _) => m[0]!["RepoTags"] = new JsonArray(HugeText), "LB2022", "manifest.json", "16 MiB");
        yield return Case("Env with more items than the limit", (_, c) => c["config"]!["Env"] = new JsonArray([.. Enumerable.Repeat<JsonNode?>("A=1", 70_000).Select(n => n!.DeepClone())]), "LB2022", "config.json", "config.Env", "70,000 items", "65,536");
        yield return Case("Labels with more fields than the limit", (_, c) => c["config"]!["Labels"] = new JsonObject(Enumerable.Range(0, 70_000).Select(i => KeyValuePair.Create<string, JsonNode?>($"l{i}", "v"))), "LB2022", "config.json", "config.Labels", "70,000 fields");
        yield return Case("config over the size limit", (_, c) => c["config"]!["Env"] = new JsonArray(HugeText), "LB2022", "config.json", "16 MiB");
    }

    private static IEnumerable<TestCaseData> LayoutCases()
    {
        static TestCaseData Case(string name, Action<JsonObject, JsonObject, JsonObject> change, string code, params string[] words) =>
            new TestCaseData(change, code, words).SetName("OCI layout base: " + name);

        yield return Case("manifests is a string", (i, _, _) => i["manifests"] = "none", "LB2019", "index.json", "manifests", "a list");
        yield return Case("a descriptor digest is a number", (i, _, _) => i["manifests"]![0]!["digest"] = 5, "LB2019", "index.json", "manifests[0].digest", "a string");
        yield return Case("a descriptor digest is a path", (i, _, _) => i["manifests"]![0]!["digest"] = "sha256:../../../etc/passwd", "LB2019", "index.json", "manifests[0].digest", "sha256");
        yield return Case("an annotation is a number", (i, _, _) => i["manifests"]![0]!["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = 5 }, "LB2019", "index.json", "annotations", "a string");
        yield return Case("the manifest's config has no digest", (_, m, _) => m["config"]!.AsObject().Remove("digest"), "LB2019", "config.digest");
        yield return Case("a manifest layer is a string", (_, m, _) => m["layers"] = new JsonArray("abc"), "LB2019", "layers[0]", "an object");
        yield return Case("a manifest layer digest is a number", (_, m, _) => m["layers"]![0]!["digest"] = 1, "LB2019", "layers[0].digest", "a string");
        yield return Case("the manifest's mediaType is a number", (_, m, _) => m["mediaType"] = 2, "LB2019", "mediaType", "a string");
        yield return Case("the config's architecture is a list", (_, _, c) => c["architecture"] = new JsonArray(), "LB2019", "architecture", "a string");
    }

    [TestCaseSource(nameof(DockerSaveCases))]
    public async Task A_hostile_docker_save_folder_is_reported(Action<JsonArray, JsonObject> change, string code, string[] words)
    {
        using var folder = new TempDirectory();
        var image = HandWrittenBaseImage.WriteDockerSave(folder.Combine("base"), change);
        File.WriteAllText(folder.Combine("outside.json"), HandWrittenBaseImage.Config().ToJsonString());

        await HostileRun.FailsAsync(folder.Path, Recipe.Replace("{base}", image, StringComparison.Ordinal), code, BaseLine, ImageColumn, words);
    }

    [TestCaseSource(nameof(LayoutCases))]
    public async Task A_hostile_layout_is_reported(Action<JsonObject, JsonObject, JsonObject> change, string code, string[] words)
    {
        using var folder = new TempDirectory();
        var layout = HandWrittenBaseImage.WriteLayout(folder.Combine("base"), change);

        await HostileRun.FailsAsync(folder.Path, LayoutRecipe.Replace("{base}", layout, StringComparison.Ordinal), code, BaseLine, LayoutColumn, words);
    }

    [Test]
    public async Task The_hand_written_bases_are_valid_as_written()
    {
        using var folder = new TempDirectory();
        var image = HandWrittenBaseImage.WriteDockerSave(folder.Combine("save"));
        var layout = HandWrittenBaseImage.WriteLayout(folder.Combine("layout"));
        var tar = HandWrittenBaseImage.ToTar(image, folder.Combine("save.tar"));

        await HostileRun.SucceedsAsync(folder.Path, Recipe.Replace("{base}", image, StringComparison.Ordinal));
        await HostileRun.SucceedsAsync(folder.Path, LayoutRecipe.Replace("{base}", layout, StringComparison.Ordinal));
        await HostileRun.SucceedsAsync(folder.Path, Recipe.Replace("{base}", tar, StringComparison.Ordinal));
    }

    [Test]
    public async Task JSON_nested_past_the_parser_depth_is_invalid_metadata()
    {
        using var folder = new TempDirectory();
        var deep = new string('[', 100_000) + new string(']', 100_000);
        var image = HandWrittenBaseImage.WriteDockerSave(folder.Combine("base"), manifest: deep);

        await HostileRun.FailsAsync(folder.Path, Recipe.Replace("{base}", image, StringComparison.Ordinal), "LB2019", BaseLine, ImageColumn, "manifest.json", "not valid JSON");
    }

    [Test]
    public async Task A_key_given_twice_is_invalid_metadata()
    {
        using var folder = new TempDirectory();
        var config = HandWrittenBaseImage.Config().ToJsonString();
        var twice = config.Replace("\"os\":\"linux\"", "\"os\":\"linux\",\"os\":\"windows\"", StringComparison.Ordinal);
        Assert.That(twice, Is.Not.EqualTo(config));
        var image = HandWrittenBaseImage.WriteDockerSave(folder.Combine("base"), config: twice);

        await HostileRun.FailsAsync(folder.Path, Recipe.Replace("{base}", image, StringComparison.Ordinal), "LB2019", BaseLine, ImageColumn, "config.json", "'os'");
    }

    [Test]
    public async Task A_config_path_climbing_out_of_a_base_tar_names_the_member()
    {
        using var folder = new TempDirectory();
        var image = HandWrittenBaseImage.WriteDockerSave(folder.Combine("base"), (m, _) => m[0]!["Config"] = "../../etc/hostname");
        var tar = HandWrittenBaseImage.ToTar(image, folder.Combine("base.tar"));

        await HostileRun.FailsAsync(folder.Path, Recipe.Replace("{base}", tar, StringComparison.Ordinal), "LB2019", BaseLine, ImageColumn, "manifest.json", "'../../etc/hostname'", "base.tar");
    }

    [Test]
    public async Task An_oversized_config_in_a_base_tar_is_refused_before_it_is_read()
    {
        using var folder = new TempDirectory();
        var image = HandWrittenBaseImage.WriteDockerSave(folder.Combine("base"), (_, c) => c["config"]!["Env"] = new JsonArray(HugeText));
        var tar = HandWrittenBaseImage.ToTar(image, folder.Combine("base.tar"));

        await HostileRun.FailsAsync(folder.Path, Recipe.Replace("{base}", tar, StringComparison.Ordinal), "LB2022", BaseLine, ImageColumn, "config.json", "16 MiB", "base.tar");
    }

    [Test]
    public async Task A_metadata_file_the_host_cannot_read_is_unreadable()
    {
        using var folder = new TempDirectory();
        var image = HandWrittenBaseImage.WriteDockerSave(folder.Combine("base"));
        File.Delete(Path.Combine(image, "manifest.json"));
        File.CreateSymbolicLink(Path.Combine(image, "manifest.json"), "manifest.json");

        await HostileRun.FailsAsync(folder.Path, Recipe.Replace("{base}", image, StringComparison.Ordinal), "LB2011", BaseLine, ImageColumn, "manifest.json", image);
    }

    [Test]
    public async Task Indexes_nested_past_the_limit_are_invalid_metadata()
    {
        // Each index names the one below it by digest, so the chain is built from the bottom up.
        using var folder = new TempDirectory();
        var layout = HandWrittenBaseImage.WriteLayout(folder.Combine("base"));
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!.AsObject();
        var below = index["manifests"]![0]!.DeepClone().AsObject();
        for (var level = 0; level < 20; level++)
        {
            var nested = new JsonObject
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = "application/vnd.oci.image.index.v1+json",
                ["manifests"] = new JsonArray(below),
            };
            var bytes = System.Text.Encoding.UTF8.GetBytes(nested.ToJsonString());
            var digest = HandWrittenBaseImage.Sha256(bytes);
            File.WriteAllBytes(Path.Combine(layout, "blobs", "sha256", digest[7..]), bytes);
            below = new JsonObject { ["mediaType"] = "application/vnd.oci.image.index.v1+json", ["digest"] = digest, ["size"] = bytes.Length };
        }

        index["manifests"] = new JsonArray(below);
        File.WriteAllText(Path.Combine(layout, "index.json"), index.ToJsonString());

        await HostileRun.FailsAsync(folder.Path, LayoutRecipe.Replace("{base}", layout, StringComparison.Ordinal), "LB2019", BaseLine, LayoutColumn, "nested");
    }
}
