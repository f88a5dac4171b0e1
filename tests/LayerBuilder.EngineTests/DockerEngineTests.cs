using System.Text;
using System.Text.Json;
using LayerBuilder.Archive;
using LayerBuilder.EngineTests.Support;
using LayerBuilder.Layers;

namespace LayerBuilder.EngineTests;

/// <summary>
/// docker 20.10 loads both formats (and the legacy layout without manifest.json), reports our image id
/// and config, and containers see every entry exactly as the recipe wrote it.
/// </summary>
[TestFixture]
public sealed class DockerEngineTests
{
    [TestCase(RootfsKind.Folder)]
    [TestCase(RootfsKind.TarGz)]
    public async Task DockerFormatLoadsWithOurIdAndRunsWithEveryEntryIntact(RootfsKind rootfs)
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("docker");
        var image = await FixtureImage.BuildAsync(work, "docker", ArchiveFormat.Docker, rootfs);
        await LoadInspectAndRunAsync(docker, image, image.ArchivePath, legacy: false);
    }

    /// <summary>docker 20.10 reads the oci format through its manifest.json; it takes gzip layer blobs
    /// (zstd only from docker 23, so not here).</summary>
    [TestCase(LayerCompression.None)]
    [TestCase(LayerCompression.Gzip)]
    public async Task OciFormatLoadsWithOurIdAndRunsWithEveryEntryIntact(LayerCompression compression)
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("docker-oci");
        var image = await FixtureImage.BuildAsync(work, "docker-oci", ArchiveFormat.Oci, RootfsKind.Folder, compression);
        await LoadInspectAndRunAsync(docker, image, image.ArchivePath, legacy: false);
    }

    [TestCase(ArchiveFormat.Docker)]
    [TestCase(ArchiveFormat.Oci)]
    public async Task GzippedArchiveLoadsWithOurId(ArchiveFormat format)
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("docker-gz");
        var image = await FixtureImage.BuildAsync(work, "docker-gz", format, gzipArchive: true);
        using (var file = File.OpenRead(image.ArchivePath))
        {
            Assert.That((file.ReadByte(), file.ReadByte()), Is.EqualTo((0x1F, 0x8B)), "a .tar.gz output is gzip");
        }

        await docker.CleanAsync(image.References);
        try
        {
            var load = await docker.RunCheckedAsync("load", "--input", image.ArchivePath);
            Assert.That(load.StandardOutput, Is.EqualTo(string.Concat(image.References.Select(r => $"Loaded image: {r}\n"))), load.Describe);
            var inspected = await docker.InspectImageAsync(image.References.First());
            Assert.That(ConfigAssertions.String(inspected, "Id"), Is.EqualTo(image.Result.ImageId.ToString()));
            var plain = await docker.RunCheckedAsync("run", "--rm", "--network", "none", image.References.First());
            Assert.That(plain.StandardOutput, Is.EqualTo(ExpectedImage.DefaultRunOutput), plain.Describe);
        }
        finally
        {
            await docker.CleanAsync(image.References);
        }
    }

    [Test]
    public async Task DockerFormatWithoutManifestJsonLoadsThroughTheLegacyPath()
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("docker-legacy");
        var image = await FixtureImage.BuildAsync(work, "docker-legacy", ArchiveFormat.Docker);
        var legacy = work.Combine("legacy.tar");
        ArchiveRewriter.Rewrite(image.ArchivePath, legacy, name => name != "manifest.json");
        Assert.That(ArchiveRewriter.Members(legacy), Does.Not.Contain("manifest.json").And.Contain("repositories"));

        await LoadInspectAndRunAsync(docker, image, legacy, legacy: true);
    }

    /// <summary>Proves docker meets every layer afresh: one it already had would be reused without being
    /// read, and this corrupted one would then load.</summary>
    [Test]
    public async Task LayerWhoseBytesDoNotMatchItsDiffIdIsRefused()
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("docker-corrupt");
        var image = await FixtureImage.BuildAsync(work, "docker-corrupt", ArchiveFormat.Docker);
        var stepLayer = ArchiveRewriter.ManifestLayers(image.ArchivePath)[1];
        var corrupt = work.Combine("corrupt.tar");
        ArchiveRewriter.Rewrite(image.ArchivePath, corrupt, _ => true, (name, bytes) => name == stepLayer
            ? ArchiveRewriter.ReplaceOnce(bytes, Encoding.ASCII.GetBytes("greeting=Hello"), Encoding.ASCII.GetBytes("greeting=Jello"))
            : bytes);

        await docker.CleanAsync(image.References);
        try
        {
            var load = await docker.RunAsync("load", "--input", corrupt);
            Assert.That(load.ExitCode, Is.Not.Zero, load.Describe);
            Assert.That(load.StandardError, Does.Contain("invalid diffID for layer 1"), load.Describe);
            var inspect = await docker.RunAsync("image", "inspect", image.References.First());
            Assert.That(inspect.ExitCode, Is.Not.Zero, "nothing may be tagged after a refused load");
        }
        finally
        {
            await docker.CleanAsync(image.References);
        }
    }

    private static async Task LoadInspectAndRunAsync(DockerEngine docker, FixtureImage image, string archive, bool legacy)
    {
        await docker.CleanAsync(image.References);
        try
        {
            var load = await docker.RunCheckedAsync("load", "--input", archive);
            TestContext.Progress.WriteLine(load.StandardOutput.Trim());
            if (!legacy)
            {
                // The legacy loader prints nothing; the tags are checked by inspect below.
                Assert.That(load.StandardOutput, Is.EqualTo(string.Concat(image.References.Select(r => $"Loaded image: {r}\n"))), load.Describe);
            }

            var reference = image.References.First();
            var inspected = await docker.InspectImageAsync(reference);
            AssertInspect(image, inspected, legacy);

            var probe = new ImageProbe(image.Expected);
            var run = await docker.RunCheckedAsync("run", "--rm", "--network", "none", "--user", "0:0", "--entrypoint", "/bin/sh", reference, "-c", probe.Script());
            probe.AssertOutput(run.StandardOutput);

            // The image's own entrypoint, cmd, user, workdir and env.
            var plain = await docker.RunCheckedAsync("run", "--rm", "--network", "none", reference);
            Assert.That(plain.StandardOutput, Is.EqualTo(ExpectedImage.DefaultRunOutput), plain.Describe);
        }
        finally
        {
            await docker.CleanAsync(image.References);
        }
    }

    private static void AssertInspect(FixtureImage image, JsonElement inspected, bool legacy)
    {
        var diffIds = image.Result.Layers.Select(l => l.DiffId.ToString()).ToList();
        Assert.Multiple(() =>
        {
            if (legacy)
            {
                // The legacy loader rebuilds the config from the v1 json, so the id is its own.
                Assert.That(ConfigAssertions.String(inspected, "Id"), Does.StartWith("sha256:").And.Not.EqualTo(image.Result.ImageId.ToString()));
            }
            else
            {
                Assert.That(ConfigAssertions.String(inspected, "Id"), Is.EqualTo(image.Result.ImageId.ToString()), "Id");
            }

            Assert.That(ConfigAssertions.Strings(inspected, "RepoTags"), Is.EquivalentTo(image.References), "RepoTags");
            Assert.That(ConfigAssertions.String(inspected, "Architecture"), Is.EqualTo(FixtureImage.Architecture));
            Assert.That(ConfigAssertions.String(inspected, "Os"), Is.EqualTo("linux"));
            Assert.That(ConfigAssertions.String(inspected, "Created"), Is.EqualTo(FixtureImage.Created));
            var rootfs = ConfigAssertions.Property(inspected, "RootFS");
            Assert.That(rootfs is null ? null : ConfigAssertions.Strings(rootfs.Value, "Layers"), Is.EqualTo(diffIds), "RootFS.Layers (diff ids)");
        });

        var config = ConfigAssertions.Property(inspected, "Config");
        Assert.That(config, Is.Not.Null, "inspect has no Config");
        ConfigAssertions.AssertRuntimeConfig(config!.Value, ConfigAssertions.Property(config.Value, "Healthcheck"));
    }
}
