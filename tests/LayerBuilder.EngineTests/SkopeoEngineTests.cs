using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LayerBuilder.Archive;
using LayerBuilder.EngineTests.Support;

namespace LayerBuilder.EngineTests;

/// <summary>
/// skopeo 1.9 (containers/image) reads both archive transports, finds our exact config and manifest
/// bytes in them, and copies the docker archive into an OCI layout.
/// </summary>
[TestFixture]
public sealed class SkopeoEngineTests
{
    [Test]
    public async Task InspectsTheDockerArchiveByArchiveAndByEachRepoTag()
    {
        using var work = new TempFolder("skopeo");
        var skopeo = await Engines.SkopeoAsync(work);
        var image = await FixtureImage.BuildAsync(work, "skopeo", ArchiveFormat.Docker);

        var sources = new[] { $"docker-archive:{image.ArchivePath}" }
            .Concat(image.References.Select(r => $"docker-archive:{image.ArchivePath}:{r}"));
        foreach (var source in sources)
        {
            var inspect = await skopeo.RunCheckedAsync("inspect", source);
            AssertInspect(image, inspect);

            var config = await skopeo.RunCheckedAsync("inspect", "--config", "--raw", source);
            AssertConfigBytes(image, config);
        }
    }

    [Test]
    public async Task InspectsTheOciArchiveByEachTag()
    {
        using var work = new TempFolder("skopeo-oci");
        var skopeo = await Engines.SkopeoAsync(work);
        var image = await FixtureImage.BuildAsync(work, "skopeo-oci", ArchiveFormat.Oci);

        foreach (var tag in image.Tags)
        {
            // The OCI transport finds an image by org.opencontainers.image.ref.name, which is the tag.
            var source = $"oci-archive:{image.ArchivePath}:{tag}";
            var inspect = await skopeo.RunCheckedAsync("inspect", source);
            AssertInspect(image, inspect);
            using (var document = JsonDocument.Parse(inspect.StandardOutput))
            {
                Assert.That(ConfigAssertions.String(document.RootElement, "Digest"), Is.EqualTo(image.Result.ManifestDigest.ToString()), inspect.Describe);
            }

            var manifest = await skopeo.RunCheckedAsync("inspect", "--raw", source);
            Assert.That(Sha256(manifest.StandardOutput), Is.EqualTo(image.Result.ManifestDigest.ToString()), "the manifest bytes skopeo reads are the ones we digested");

            var config = await skopeo.RunCheckedAsync("inspect", "--config", "--raw", source);
            AssertConfigBytes(image, config);
        }
    }

    [Test]
    public async Task CopiesTheDockerArchiveIntoAnOciLayout()
    {
        using var work = new TempFolder("skopeo-copy");
        var skopeo = await Engines.SkopeoAsync(work);
        var image = await FixtureImage.BuildAsync(work, "skopeo-copy", ArchiveFormat.Docker);
        var layout = work.Combine("layout");

        var copy = await skopeo.RunCheckedAsync("copy", $"docker-archive:{image.ArchivePath}", $"oci:{layout}:copied");
        TestContext.Progress.WriteLine(copy.StandardOutput.Trim());
        Assert.That(copy.StandardOutput, Does.Contain("Writing manifest to image destination"), copy.Describe);
        foreach (var layer in image.Result.Layers)
        {
            // skopeo reads each layer file and checks it against the diff id it announces.
            Assert.That(copy.StandardOutput, Does.Contain($"Copying blob {layer.DiffId}"), copy.Describe);
        }

        Assert.That(File.Exists(Path.Combine(layout, "oci-layout")), Is.True, "oci-layout");
        var inspect = await skopeo.RunCheckedAsync("inspect", "--config", $"oci:{layout}:copied");
        using var document = JsonDocument.Parse(inspect.StandardOutput);
        var root = document.RootElement;
        var rootfs = ConfigAssertions.Property(root, "rootfs");
        Assert.Multiple(() =>
        {
            Assert.That(rootfs is null ? null : ConfigAssertions.Strings(rootfs.Value, "diff_ids"),
                Is.EqualTo(image.Result.Layers.Select(l => l.DiffId.ToString())), "rootfs.diff_ids of the copy");
            Assert.That(ConfigAssertions.String(root, "architecture"), Is.EqualTo(FixtureImage.Architecture));
        });

        // The conversion to an OCI config keeps every runtime field except Docker's healthcheck.
        var config = ConfigAssertions.Property(root, "config");
        Assert.That(config, Is.Not.Null, inspect.Describe);
        Assert.Multiple(() =>
        {
            Assert.That(ConfigAssertions.Strings(config!.Value, "Env"), Is.EqualTo(ConfigAssertions.Env));
            Assert.That(ConfigAssertions.Strings(config.Value, "Entrypoint"), Is.EqualTo(ConfigAssertions.Entrypoint));
            Assert.That(ConfigAssertions.Strings(config.Value, "Cmd"), Is.EqualTo(ConfigAssertions.Cmd));
            Assert.That(ConfigAssertions.Map(config.Value, "Labels"), Is.EqualTo(ConfigAssertions.Labels));
        });
    }

    private static void AssertInspect(FixtureImage image, ProcessResult inspect)
    {
        using var document = JsonDocument.Parse(inspect.StandardOutput);
        var root = document.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(ConfigAssertions.String(root, "Architecture"), Is.EqualTo(FixtureImage.Architecture), inspect.Describe);
            Assert.That(ConfigAssertions.String(root, "Os"), Is.EqualTo("linux"), inspect.Describe);
            Assert.That(ConfigAssertions.String(root, "Created"), Is.EqualTo(FixtureImage.Created), inspect.Describe);
            // Uncompressed layers: the blob digests are the diff ids.
            Assert.That(ConfigAssertions.Strings(root, "Layers"), Is.EqualTo(image.Result.Layers.Select(l => l.DiffId.ToString())), inspect.Describe);
            Assert.That(ConfigAssertions.Strings(root, "Env"), Is.EqualTo(ConfigAssertions.Env), inspect.Describe);
            Assert.That(ConfigAssertions.Map(root, "Labels"), Is.EqualTo(ConfigAssertions.Labels), inspect.Describe);
        });
    }

    /// <summary>The raw config is the exact blob whose sha256 is the image id.</summary>
    private static void AssertConfigBytes(FixtureImage image, ProcessResult raw)
    {
        Assert.That(Sha256(raw.StandardOutput), Is.EqualTo(image.Result.ImageId.ToString()), raw.CommandLine);
        using var document = JsonDocument.Parse(raw.StandardOutput);
        var config = ConfigAssertions.Property(document.RootElement, "config");
        Assert.That(config, Is.Not.Null, raw.Describe);
        ConfigAssertions.AssertRuntimeConfig(config!.Value, ConfigAssertions.Property(config.Value, "Healthcheck"));
    }

    private static string Sha256(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
