using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.EngineTests.Support;
using LayerBuilder.Layers;

namespace LayerBuilder.EngineTests;

/// <summary>
/// Base images written by the engines themselves: the fixture goes through <c>docker save</c> (the
/// classic docker 20.10 layout) or <c>skopeo copy</c> to an OCI layout (gzip layers, a converted config),
/// a recipe builds on it, and docker runs the result with every inherited layer and setting intact.
/// </summary>
[TestFixture]
public sealed class DerivedImageEngineTests
{
    [Test]
    public async Task ImageSavedByDockerIsABaseWhoseLayersAndConfigAreInherited()
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("derived-docker");
        var fixture = await FixtureImage.BuildAsync(work, "derived-base", ArchiveFormat.Docker);
        var saved = work.Combine("saved.tar");
        await docker.CleanAsync(fixture.References);
        try
        {
            await docker.RunCheckedAsync("load", "--input", fixture.ArchivePath);
            await docker.RunCheckedAsync("save", "--output", saved, fixture.References.First());
        }
        finally
        {
            await docker.CleanAsync(fixture.References);
        }

        var (name, result) = await DerivedImage.BuildAsync(work, "derived", $"{{ image: \"{saved}\", ref: \"{fixture.References.First()}\" }}");
        await LoadAndCheckAsync(docker, fixture, name, result, healthcheckInherited: true);
    }

    [Test]
    public async Task OciLayoutWrittenBySkopeoIsABaseWhoseLayersAndConfigAreInherited()
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("derived-skopeo");
        var skopeo = await Engines.SkopeoAsync(work);
        var fixture = await FixtureImage.BuildAsync(work, "derived-base", ArchiveFormat.Docker);
        var layout = work.Combine("layout");
        await skopeo.RunCheckedAsync("copy", $"docker-archive:{fixture.ArchivePath}", $"oci:{layout}:1.0");

        var (name, result) = await DerivedImage.BuildAsync(work, "derived", $"{{ layout: \"{layout}\" }}");
        // skopeo's conversion to an OCI config drops Docker's healthcheck, so there is none to inherit.
        await LoadAndCheckAsync(docker, fixture, name, result, healthcheckInherited: false);
    }

    [Test]
    public async Task ImagePulledFromARegistryByTagAndByDigestIsABaseWhoseLayersAndConfigAreInherited()
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("derived-registry");
        await using var registry = await RegistryServer.StartPlainAsync();
        var fixture = await FixtureImage.BuildAsync(work, "derived-base", ArchiveFormat.Docker);
        var digest = await registry.CopyAsync($"docker-archive:{fixture.ArchivePath}", "team/derived-base:1.0");

        // skopeo keeps docker's config as it is, healthcheck included.
        var (name, result) = await DerivedImage.BuildAsync(work, "derived", $"\"{registry.Host}/team/derived-base:1.0\"");
        await LoadAndCheckAsync(docker, fixture, name, result, healthcheckInherited: true);

        var (_, byDigest) = await DerivedImage.BuildAsync(work, "derived", $"\"{registry.Host}/team/derived-base@{digest}\"");
        Assert.That(byDigest.ImageId, Is.EqualTo(result.ImageId), "the tag and the digest name the same base");
    }

    [Test]
    public async Task AnOciOutputWithGzipLayersOnARegistryBaseCarriesTheRegistryBlobAndDockerLoadsIt()
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("derived-registry-oci");
        await using var registry = await RegistryServer.StartPlainAsync();
        var fixture = await FixtureImage.BuildAsync(work, "derived-base", ArchiveFormat.Docker);
        var digest = await registry.CopyAsync($"docker-archive:{fixture.ArchivePath}", "team/derived-base:1.0");

        var (name, result) = await DerivedImage.BuildAsync(work, "derived", $"\"{registry.Host}/team/derived-base:1.0\"", ArchiveFormat.Oci, LayerCompression.Gzip);

        // The base's layers are the registry's own blobs (docs/decisions.md D78), then the step's, compressed here.
        using var pulled = System.Text.Json.JsonDocument.Parse(await File.ReadAllBytesAsync(registry.BlobData(digest)));
        var registryLayers = pulled.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()).ToList();
        await using (var archive = File.OpenRead(result.OutputPath))
        {
            var members = new Dictionary<string, byte[]>();
            using var reader = new System.Formats.Tar.TarReader(archive);
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is { } data && (entry.Name == "index.json" || entry.Name.StartsWith("blobs/", StringComparison.Ordinal)))
                {
                    using var copy = new MemoryStream();
                    await data.CopyToAsync(copy);
                    members[entry.Name] = copy.ToArray();
                }
            }

            using var index = System.Text.Json.JsonDocument.Parse(members["index.json"]);
            var manifestDigest = index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
            using var manifest = System.Text.Json.JsonDocument.Parse(members["blobs/sha256/" + manifestDigest["sha256:".Length..]]);
            var outputLayers = manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()).ToList();
            Assert.That(outputLayers.Take(registryLayers.Count), Is.EqualTo(registryLayers), "the base's layers as the registry serves them");
            Assert.That(outputLayers, Has.Count.EqualTo(registryLayers.Count + 1));
        }

        await LoadAndCheckAsync(docker, fixture, name, result, healthcheckInherited: true);
    }

    [Test]
    public async Task AnOciOutputOfARegistryBaseAloneIsTheRegistryBlobsNeverUnpackedAndDockerRunsIt()
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("retagged-registry-oci");
        await using var registry = await RegistryServer.StartPlainAsync();
        var fixture = await FixtureImage.BuildAsync(work, "retagged-base", ArchiveFormat.Docker);
        await registry.CopyAsync($"docker-archive:{fixture.ArchivePath}", "team/retagged-base:1.0");
        var name = $"lbe-test/retagged-{Guid.NewGuid():N}";
        var recipe = work.Combine("retagged.yml");
        await File.WriteAllTextAsync(recipe, $"image: {name}\ntags: [\"1.0\"]\nbase: \"{registry.Host}/team/retagged-base:1.0\"\nconfig:\n  labels: {{ retagged: \"yes\" }}\n");
        var cache = new LayerBuilder.Cache.LayerCache(work.Combine("cache"));

        var result = await ImageBuilder.BuildAsync(new BuildRequest(LayerBuilder.Recipe.RecipeParser.ParseFile(recipe), work.Combine("retagged.tar"))
        {
            Format = ArchiveFormat.Oci,
            Compression = LayerCompression.Gzip,
            Cache = cache,
        });

        // Nothing read the base's tars, so none was made (docs/decisions.md D79): docker unpacks the blobs itself.
        Assert.That(result.Layers.Select(l => l.Size), Is.All.Null, "no layer was unpacked");
        var reference = $"{name}:1.0";
        try
        {
            var inspected = await LoadAndInspectAsync(docker, reference, result.OutputPath);
            var rootfs = ConfigAssertions.Property(inspected, "RootFS");
            Assert.That(rootfs is null ? null : ConfigAssertions.Strings(rootfs.Value, "Layers"), Is.EqualTo(fixture.Result.Layers.Select(l => l.DiffId.ToString())),
                "docker unpacked each blob to the diff id the config names");
            var probe = new ImageProbe(fixture.Expected);
            var run = await docker.RunCheckedAsync("run", "--rm", "--network", "none", "--user", "0:0", "--entrypoint", "/bin/sh", reference, "-c", probe.Script());
            probe.AssertOutput(run.StandardOutput);
        }
        finally
        {
            await docker.CleanAsync([reference]);
        }
    }

    /// <summary>Loads <paramref name="archive"/> into docker, after removing any image of <paramref name="reference"/>
    /// an earlier run left, checks docker names it <paramref name="reference"/>, and inspects it.</summary>
    private static async Task<System.Text.Json.JsonElement> LoadAndInspectAsync(DockerEngine docker, string reference, string archive)
    {
        await docker.CleanAsync([reference]);
        var load = await docker.RunCheckedAsync("load", "--input", archive);
        Assert.That(load.StandardOutput, Is.EqualTo($"Loaded image: {reference}\n"), load.Describe);
        return await docker.InspectImageAsync(reference);
    }

    private static async Task LoadAndCheckAsync(DockerEngine docker, FixtureImage fixture, string name, BuildResult result, bool healthcheckInherited)
    {
        var reference = $"{name}:1.0";
        try
        {
            var inspected = await LoadAndInspectAsync(docker, reference, result.OutputPath);
            var rootfs = ConfigAssertions.Property(inspected, "RootFS");
            var config = ConfigAssertions.Property(inspected, "Config");
            var expectedLayers = fixture.Result.Layers.Select(l => l.DiffId.ToString()).Append(result.Layers[^1].DiffId.ToString());
            Assert.Multiple(() =>
            {
                Assert.That(ConfigAssertions.String(inspected, "Id"), Is.EqualTo(result.ImageId.ToString()), "Id");
                Assert.That(rootfs is null ? null : ConfigAssertions.Strings(rootfs.Value, "Layers"), Is.EqualTo(expectedLayers),
                    "RootFS.Layers: the base's diff ids, then the new step's");
                Assert.That(config is null ? null : ConfigAssertions.Strings(config.Value, "Env"), Is.EqualTo(DerivedImage.Env), "Env (merged)");
                Assert.That(config is null ? null : ConfigAssertions.Strings(config.Value, "Entrypoint"), Is.EqualTo(ConfigAssertions.Entrypoint), "Entrypoint (inherited)");
                Assert.That(config is null ? null : ConfigAssertions.Strings(config.Value, "Cmd"), Is.EqualTo(new[] { "derived" }), "Cmd (replaced)");
                Assert.That(config is null ? null : ConfigAssertions.String(config.Value, "WorkingDir"), Is.EqualTo("/app"), "WorkingDir (inherited)");
                Assert.That(config is null ? null : ConfigAssertions.String(config.Value, "User"), Is.EqualTo("1000:1000"), "User (inherited)");
                Assert.That(config is null ? null : ConfigAssertions.Map(config.Value, "Labels"), Is.EqualTo(ConfigAssertions.Labels), "Labels (inherited)");
                Assert.That(config is null ? null : ConfigAssertions.Keys(config.Value, "ExposedPorts"), Is.EqualTo(ConfigAssertions.ExposedPorts), "ExposedPorts (inherited)");
                Assert.That(config is null ? null : ConfigAssertions.Property(config.Value, "Healthcheck"), healthcheckInherited ? Is.Not.Null : Is.Null, "Healthcheck");
            });

            var history = await docker.RunCheckedAsync("history", "--no-trunc", "--format", "{{.CreatedBy}}", reference);
            var expectedHistory = fixture.Result.Layers.Select(l => l.CreatedBy).Reverse().Prepend($"layerbuild step: {DerivedImage.StepName}");
            Assert.That(history.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(expectedHistory),
                "history, newest first: the new step, then the base's");

            // Every entry of the base is there as it was, plus the new file.
            var probe = new ImageProbe(fixture.Expected);
            var run = await docker.RunCheckedAsync("run", "--rm", "--network", "none", "--user", "0:0", "--entrypoint", "/bin/sh", reference, "-c",
                probe.Script() + $"printf '\\n@@@ derived\\n'; stat -c '%a %u %g %F' {DerivedImage.FilePath}; cat {DerivedImage.FilePath}\n");
            probe.AssertOutput(run.StandardOutput);
            Assert.That(run.StandardOutput, Does.EndWith($"\n@@@ derived\n644 1000 1000 regular file\n{DerivedImage.FileText}"), "the derived step's file");

            var plain = await docker.RunCheckedAsync("run", "--rm", "--network", "none", reference);
            Assert.That(plain.StandardOutput, Is.EqualTo(DerivedImage.DefaultRunOutput), plain.Describe);
        }
        finally
        {
            await docker.CleanAsync([reference]);
        }
    }
}
