using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Platforms;

/// <summary>
/// What a recipe with <c>platforms</c> writes (docs/archive-formats.md, "Several platforms"): the oci
/// layout's index.json names one image index per tag, the index names each platform's manifest with its
/// platform object, every cross-reference holds, the bytes reproduce; the docker format refuses several
/// platforms and <c>--platform</c> picks one, as a recipe of that one platform makes it.
/// </summary>
public sealed class PlatformIndexOutputTests
{
    private const string Recipe = """
        image: example/multi
        tags: ["1.0", latest]
        platforms: [linux/amd64, linux/arm64]
        steps:
          - name: app
            copy: [{ src: "files/${TARGETARCH}.txt", dest: /app/arch.txt }]
            files: [{ path: /platform, content: "${TARGETPLATFORM}" }]
        """;

    [Test]
    public async Task The_oci_layout_holds_an_index_of_both_platforms_and_every_reference_holds()
    {
        using var temp = Workspace();
        var result = await BuildAsync(temp, ArchiveFormat.Oci);
        var members = ReadMembers(result.Bytes);

        var layoutIndex = Json(members["index.json"]);
        var tagged = layoutIndex.GetProperty("manifests").EnumerateArray().ToList();
        Assert.That(tagged.Select(d => d.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString()), Is.EqualTo(new[] { "1.0", "latest" }));
        Assert.That(tagged.Select(d => d.GetProperty("mediaType").GetString()), Has.All.EqualTo("application/vnd.oci.image.index.v1+json"));
        Assert.That(tagged.Select(d => d.GetProperty("digest").GetString()), Has.All.EqualTo(result.Result.IndexDigest.ToString()), "every tag names the image index");

        var indexBytes = Blob(members, result.Result.IndexDigest!.Value);
        var index = Json(indexBytes);
        Assert.That(index.GetProperty("mediaType").GetString(), Is.EqualTo("application/vnd.oci.image.index.v1+json"));
        var manifests = index.GetProperty("manifests").EnumerateArray().ToList();
        Assert.That(manifests.Select(m => $"{m.GetProperty("platform").GetProperty("os").GetString()}/{m.GetProperty("platform").GetProperty("architecture").GetString()}"),
            Is.EqualTo(new[] { "linux/amd64", "linux/arm64" }));
        Assert.That(result.Result.Platforms.Select(p => p.ManifestDigest.ToString()), Is.EqualTo(manifests.Select(m => m.GetProperty("digest").GetString())));

        var contents = new List<string>();
        foreach (var (descriptor, i) in manifests.Select((m, i) => (m, i)))
        {
            var manifestBytes = Blob(members, descriptor);
            var manifest = Json(manifestBytes);
            var config = Json(Blob(members, manifest.GetProperty("config")));
            Assert.That(config.GetProperty("architecture").GetString(), Is.EqualTo(descriptor.GetProperty("platform").GetProperty("architecture").GetString()), "the config agrees with its index entry");
            Assert.That(Digest.Of(Blob(members, manifest.GetProperty("config"))), Is.EqualTo(result.Result.Platforms[i].ImageId));
            var layer = manifest.GetProperty("layers").EnumerateArray().Single();
            var layerBytes = Blob(members, layer);
            Assert.That(Digest.Of(layerBytes).ToString(), Is.EqualTo(config.GetProperty("rootfs").GetProperty("diff_ids")[0].GetString()));
            contents.Add(ReadLayerFile(layerBytes, "app/arch.txt") + " " + ReadLayerFile(layerBytes, "platform"));
        }

        Assert.That(contents, Is.EqualTo(new[] { "x86-64 linux/amd64", "aarch64 linux/arm64" }), "each platform copied its own source");

        var dockerManifest = Json(members["manifest.json"]);
        Assert.That(dockerManifest.GetArrayLength(), Is.EqualTo(1), "manifest.json lists the first platform only (docs/decisions.md D57)");
        Assert.That(dockerManifest[0].GetProperty("Config").GetString(), Is.EqualTo("blobs/sha256/" + result.Result.Platforms[0].ImageId.Hex));
    }

    [Test]
    public async Task The_same_recipe_writes_the_same_bytes_and_index_digest_twice()
    {
        using var temp = Workspace();
        var first = await BuildAsync(temp, ArchiveFormat.Oci);
        var second = await BuildAsync(temp, ArchiveFormat.Oci);

        Assert.That(second.Result.IndexDigest, Is.EqualTo(first.Result.IndexDigest));
        Assert.That(second.Bytes, Is.EqualTo(first.Bytes));
    }

    [Test]
    public void The_docker_format_refuses_several_platforms_in_one_line_before_any_work()
    {
        using var temp = Workspace();
        var output = temp.Combine("out", "multi.tar");
        var recipe = RecipeParser.Parse(Recipe, temp.Combine("layerbuild.yml"), temp.Path);

        var e = Assert.ThrowsAsync<LayerBuildException>(() => ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, output)))!;

        Assert.That(e.Diagnostics.Single().Code, Is.EqualTo(DiagnosticCodes.SeveralPlatformsInDockerFormat));
        Assert.That(e.Diagnostics.Single().Message, Does.Contain("--platform").And.Contain("linux/amd64, linux/arm64").And.Not.Contain("\n"));
        Assert.That(Directory.Exists(temp.Combine("out")), Is.False, "nothing is written");
    }

    [TestCase(ArchiveFormat.Docker)]
    [TestCase(ArchiveFormat.Oci)]
    public async Task Platform_picks_one_image_the_same_as_a_recipe_of_that_platform(ArchiveFormat format)
    {
        using var temp = Workspace();
        var picked = await BuildAsync(temp, format, Platform.TryParse("linux/arm64/v8", out var p) ? p : null);
        var single = await BuildAsync(temp, format, recipeText: Recipe.Replace("platforms: [linux/amd64, linux/arm64]", "platform: linux/arm64", StringComparison.Ordinal));

        Assert.That(picked.Result.IndexDigest, Is.Null, "one platform is one image, no index");
        Assert.That(picked.Bytes, Is.EqualTo(single.Bytes));
    }

    [Test]
    public void Platform_that_the_recipe_does_not_build_is_a_clear_error()
    {
        using var temp = Workspace();
        var recipe = RecipeParser.Parse(Recipe, temp.Combine("layerbuild.yml"), temp.Path);
        var request = BuildRequest.ToFile(recipe, temp.Combine("multi.tar")) with { Platform = new Platform("linux", "s390x", null) };

        var e = Assert.ThrowsAsync<LayerBuildException>(() => ImageBuilder.BuildAsync(request))!;

        Assert.That(e.Diagnostics.Single().Code, Is.EqualTo(DiagnosticCodes.PlatformNotInRecipe));
        Assert.That(e.Diagnostics.Single().ToCliString(), Does.StartWith("--platform:1:1: error LB1074: --platform linux/s390x is not a platform of the recipe; it builds linux/amd64, linux/arm64"));
    }

    [Test]
    public async Task The_cli_prints_the_index_and_each_platform()
    {
        using var temp = Workspace();
        var run = LayerBuilderCli.Run([temp.Combine("layerbuild.yml"), "--format", "oci", "-o", temp.Combine("multi.tar"), "--no-cache"], temp.Path);
        var refused = LayerBuilderCli.Run([temp.Combine("layerbuild.yml"), "-o", temp.Combine("docker.tar"), "--no-cache"], temp.Path);
        var picked = LayerBuilderCli.Run([temp.Combine("layerbuild.yml"), "-o", temp.Combine("docker.tar"), "--no-cache", "--platform", "linux/arm64"], temp.Path);

        Assert.That(run.ExitCode, Is.Zero, run.Transcript);
        var index = await BuildAsync(temp, ArchiveFormat.Oci);
        Assert.That(run.StdOut, Does.Contain($"Index:     {index.Result.IndexDigest}"));
        Assert.That(run.StdOut, Does.Contain($"Platform:  linux/arm64  {index.Result.Platforms[1].ImageId}"));
        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.Transcript);
        Assert.That(refused.StdErr, Does.Contain("error LB1073: the docker format holds one platform"));
        Assert.That(picked.ExitCode, Is.Zero, picked.Transcript);
        Assert.That(picked.StdOut, Does.Contain($"Image id:  {index.Result.Platforms[1].ImageId}"));
    }

    [Test]
    public async Task Verify_follows_the_index_to_every_platform_and_names_a_changed_manifest()
    {
        using var temp = Workspace();
        var built = await BuildAsync(temp, ArchiveFormat.Oci);
        var archive = temp.WriteFile("multi.tar", built.Bytes);
        foreach (var (name, bytes) in ReadMembers(built.Bytes))
        {
            temp.WriteFile(Path.Combine("layout", name), bytes);
        }

        var armManifest = "blobs/sha256/" + built.Result.Platforms[1].ManifestDigest.Hex;
        File.AppendAllText(temp.Combine("layout", armManifest), " ");

        var sound = LayerBuilderCli.Run(["verify", archive], temp.Path);
        var changed = LayerBuilderCli.Run(["verify", temp.Combine("layout")], temp.Path);

        Assert.That(sound.ExitCode, Is.Zero, sound.Transcript);
        Assert.That(changed.ExitCode, Is.EqualTo(1), changed.Transcript);
        Assert.That(changed.StdErr, Does.Contain($"error LB4001: image layout '{temp.Combine("layout")}': {armManifest} has sha256").And.Contain($"but blobs/sha256/{built.Result.IndexDigest!.Value.Hex} names it"),
            "the index's own entry for arm64 is checked");
    }

    [Test]
    public async Task An_index_layout_base_resolves_per_platform_and_a_platform_it_lacks_is_LB2030()
    {
        using var temp = Workspace();
        var basis = await BuildAsync(temp, ArchiveFormat.Oci);
        temp.WriteFile("base.tar", basis.Bytes);
        const string Derived = """
            image: example/derived
            platforms: [linux/amd64, linux/arm64]
            base: { layout: base.tar, ref: "docker.io/example/multi:1.0" }
            steps:
              - files: [{ path: /derived, content: "${TARGETARCH}" }]
            """;

        var derived = await BuildAsync(temp, ArchiveFormat.Oci, recipeText: Derived);
        var members = ReadMembers(derived.Bytes);
        var baseMembers = ReadMembers(basis.Bytes);
        for (var i = 0; i < 2; i++)
        {
            var config = Json(Blob(members, derived.Result.Platforms[i].ImageId));
            var baseConfig = Json(Blob(baseMembers, basis.Result.Platforms[i].ImageId));
            Assert.That(config.GetProperty("rootfs").GetProperty("diff_ids")[0].GetString(), Is.EqualTo(baseConfig.GetProperty("rootfs").GetProperty("diff_ids")[0].GetString()),
                $"{derived.Result.Platforms[i].Platform} stacks on the base's image of its platform");
        }

        var e = Assert.ThrowsAsync<LayerBuildException>(() => BuildAsync(temp, ArchiveFormat.Oci, recipeText: Derived.Replace("linux/arm64]", "linux/arm64, linux/arm/v7]", StringComparison.Ordinal)))!;
        Assert.That(e.Diagnostics.Single().Code, Is.EqualTo(DiagnosticCodes.BasePlatformMissing));
        Assert.That(e.Diagnostics.Single().Message, Does.Contain("no image for linux/arm/v7"));
    }

    private static TempDirectory Workspace()
    {
        var temp = new TempDirectory();
        temp.WriteFile("files/amd64.txt", "x86-64");
        temp.WriteFile("files/arm64.txt", "aarch64");
        temp.WriteFile("layerbuild.yml", Recipe);
        return temp;
    }

    private static async Task<(BuildResult Result, byte[] Bytes)> BuildAsync(TempDirectory temp, ArchiveFormat format, Platform? platform = null, string? recipeText = null)
    {
        var recipe = RecipeParser.Parse(recipeText ?? Recipe, temp.Combine("layerbuild.yml"), temp.Path);
        using var memory = new MemoryStream();
        var result = await ImageBuilder.BuildAsync(BuildRequest.ToStream(recipe, memory) with { Format = format, Platform = platform, WorkDirectory = temp.Combine("work") });
        return (result, memory.ToArray());
    }

    private static Dictionary<string, byte[]> ReadMembers(byte[] archive)
    {
        var members = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var reader = new TarReader(new MemoryStream(archive));
        while (reader.GetNextEntry() is { } entry)
        {
            using var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            members.Add(entry.Name, data.ToArray());
        }

        return members;
    }

    private static byte[] Blob(Dictionary<string, byte[]> members, JsonElement descriptor)
    {
        var digest = Digest.TryParse(descriptor.GetProperty("digest").GetString()!, out var d) ? d : throw new AssertionException("not a digest");
        var bytes = Blob(members, digest);
        Assert.That(bytes, Has.Length.EqualTo(descriptor.GetProperty("size").GetInt64()), $"size of {digest}");
        return bytes;
    }

    private static byte[] Blob(Dictionary<string, byte[]> members, Digest digest)
    {
        Assert.That(members.TryGetValue("blobs/sha256/" + digest.Hex, out var bytes), Is.True, $"blob {digest} is in the layout");
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(bytes!)), Is.EqualTo(digest.Hex), $"blob {digest} has its digest");
        return bytes!;
    }

    private static JsonElement Json(byte[] bytes) => JsonDocument.Parse(bytes).RootElement.Clone();

    private static string ReadLayerFile(byte[] layer, string name)
    {
        using var reader = new TarReader(new MemoryStream(layer));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name == name)
            {
                using var text = new StreamReader(entry.DataStream!);
                return text.ReadToEnd();
            }
        }

        throw new AssertionException($"{name} is not in the layer");
    }
}
