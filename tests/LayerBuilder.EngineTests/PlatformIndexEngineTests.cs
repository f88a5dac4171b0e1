using System.Text.Json;
using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Engine;
using LayerBuilder.EngineTests.Support;
using LayerBuilder.Image;
using LayerBuilder.Recipe;

namespace LayerBuilder.EngineTests;

/// <summary>
/// A recipe with <c>platforms</c> against real parts (docs/recipe.md, "Several platforms"): pushed to the
/// loopback registry it is an image index that skopeo reads with both platforms (and the arm64 config
/// when asked for arm64); the docker engine pulls and runs the amd64 image (the machine's), and
/// <c>--load</c> loads that one; a base by reference that is a two-platform index resolves per platform.
/// </summary>
[TestFixture]
public sealed class PlatformIndexEngineTests
{
    [Test]
    public async Task Two_platforms_push_as_an_index_that_skopeo_reads_and_docker_pulls_runs_and_loads_for_amd64()
    {
        var docker = await Engines.DockerAsync();
        var skopeo = ProcessRunner.Find("skopeo") ?? throw Engines.Unavailable("skopeo", "`skopeo` is not on PATH");
        using var work = new TempFolder("platforms");
        await using var registry = await RegistryServer.StartPlainAsync();
        var name = $"{registry.Host}/lbe-platforms";
        var recipePath = WriteRecipe(work, $$"""
            image: {{name}}
            tags: ["1"]
            platforms: [linux/amd64, linux/arm64]
            steps:
              - name: app
                copy: [{ src: "bin/${TARGETARCH}/busybox", dest: /bin/busybox, mode: "0755" }]
                files: [{ path: /platform, content: "${TARGETPLATFORM}\n" }]
            config:
              entrypoint: [/bin/busybox, cat, /platform]
            """);

        var pushed = await ImageBuilder.BuildAsync(BuildRequest.ToRegistry(RecipeParser.ParseFile(recipePath)));

        var reference = $"{name}:1";
        Assert.That(pushed.Pushed, Is.EqualTo(new[] { reference }));
        var raw = await ProcessRunner.RunCheckedAsync(skopeo, ["inspect", "--raw", "--tls-verify=false", $"docker://{reference}"]);
        Assert.That(Digest.Of(raw.StandardOutput).ToString(), Is.EqualTo(pushed.PushedManifestDigest?.ToString()), "the printed digest is the index the registry serves");
        string armManifest;
        using (var index = JsonDocument.Parse(raw.StandardOutput))
        {
            Assert.That(index.RootElement.GetProperty("mediaType").GetString(), Is.EqualTo("application/vnd.oci.image.index.v1+json"));
            var manifests = index.RootElement.GetProperty("manifests").EnumerateArray().ToList();
            Assert.That(manifests.Select(m => m.GetProperty("platform").GetProperty("architecture").GetString()), Is.EqualTo(new[] { "amd64", "arm64" }));
            armManifest = manifests[1].GetProperty("digest").GetString()!;
        }

        var armRaw = await ProcessRunner.RunCheckedAsync(skopeo, ["inspect", "--raw", "--tls-verify=false", $"docker://{name}@{armManifest}"]);
        using (var manifest = JsonDocument.Parse(armRaw.StandardOutput))
        {
            Assert.That(manifest.RootElement.GetProperty("config").GetProperty("digest").GetString(), Is.EqualTo(pushed.Platforms[1].ImageId.ToString()),
                "the index's arm64 entry is the arm64 image");
        }

        var arm = await ProcessRunner.RunCheckedAsync(skopeo, ["inspect", "--config", "--tls-verify=false", "--override-arch", "arm64", $"docker://{reference}"]);
        var amd = await ProcessRunner.RunCheckedAsync(skopeo, ["inspect", "--config", "--tls-verify=false", "--override-arch", "amd64", $"docker://{reference}"]);
        using (var armConfig = JsonDocument.Parse(arm.StandardOutput))
        {
            Assert.That(armConfig.RootElement.GetProperty("architecture").GetString(), Is.EqualTo("arm64"), "skopeo picks the arm64 config out of the index");
        }

        var again = await ImageBuilder.BuildAsync(BuildRequest.ToRegistry(RecipeParser.ParseFile(recipePath)));
        Assert.That(again.PushedManifestDigest, Is.EqualTo(pushed.PushedManifestDigest), "the same recipe pushes the same index");

        await docker.CleanAsync([reference]);
        try
        {
            var pull = await docker.RunCheckedAsync("pull", reference);
            Assert.That(pull.StandardOutput, Does.Contain($"Digest: {pushed.PushedManifestDigest}"), pull.Describe);
            var run = await docker.RunCheckedAsync("run", "--rm", "--network", "none", reference);
            Assert.That(run.StandardOutput, Is.EqualTo("linux/amd64\n"), run.Describe);
            await docker.CleanAsync([reference]);

            var loaded = await ImageBuilder.BuildAsync(BuildRequest.ToEngine(RecipeParser.ParseFile(recipePath), DockerHost.Parse(docker.Host)) with { Format = ArchiveFormat.Oci });
            Assert.That(loaded.Loaded, Is.Not.Empty);
            var inspected = await docker.InspectImageAsync(reference);
            Assert.That(ConfigAssertions.String(inspected, "Architecture"), Is.EqualTo("amd64"), "--load loads the engine's own platform");
            var runLoaded = await docker.RunCheckedAsync("run", "--rm", "--network", "none", reference);
            Assert.That(runLoaded.StandardOutput, Is.EqualTo("linux/amd64\n"), runLoaded.Describe);
        }
        finally
        {
            await docker.CleanAsync([reference]);
        }

        // A base by reference that is this index: each platform of a derived recipe stacks on its own base image.
        var derivedPath = WriteRecipe(work, $$"""
            image: example/derived
            tags: ["1"]
            platforms: [linux/amd64, linux/arm64]
            base: {{reference}}
            steps:
              - files: [{ path: /derived, content: "${TARGETARCH}" }]
            """, "derived.yml");
        var archive = Path.Combine(work.Path, "derived.tar");
        var derived = await ImageBuilder.BuildAsync(BuildRequest.ToFile(RecipeParser.ParseFile(derivedPath), archive) with { Format = ArchiveFormat.Oci });
        Assert.That(derived.IndexDigest, Is.Not.Null);
        foreach (var arch in new[] { "amd64", "arm64" })
        {
            var baseConfig = arch == "arm64" ? arm.StandardOutput : amd.StandardOutput;
            var derivedConfig = await ProcessRunner.RunCheckedAsync(skopeo, ["inspect", "--config", "--override-arch", arch, $"oci-archive:{archive}:1"]);
            using var ofBase = JsonDocument.Parse(baseConfig);
            using var ofDerived = JsonDocument.Parse(derivedConfig.StandardOutput);
            Assert.That(ofDerived.RootElement.GetProperty("architecture").GetString(), Is.EqualTo(arch));
            var baseDiffs = ofBase.RootElement.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(d => d.GetString()).ToList();
            var derivedDiffs = ofDerived.RootElement.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(d => d.GetString()).ToList();
            Assert.That(derivedDiffs.Take(baseDiffs.Count), Is.EqualTo(baseDiffs), $"the {arch} image stacks on the {arch} base");
            Assert.That(derivedDiffs, Has.Count.EqualTo(baseDiffs.Count + 1));
        }
    }

    /// <summary>Writes a recipe beside per-platform "busybox" files: the real static busybox for amd64
    /// (the machine's, which docker runs), a placeholder for arm64 (never run here).</summary>
    private static string WriteRecipe(TempFolder work, string text, string name = "layerbuild.yml")
    {
        var amd64 = work.Combine("bin", "amd64");
        if (!Directory.Exists(amd64))
        {
            Directory.CreateDirectory(amd64);
            File.Copy(Engines.StaticBusybox(), Path.Combine(amd64, "busybox"));
            Directory.CreateDirectory(work.Combine("bin", "arm64"));
            File.WriteAllText(work.Combine("bin", "arm64", "busybox"), "an arm64 program would be here\n");
        }

        var path = work.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }
}
