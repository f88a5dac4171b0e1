using System.Text;
using LayerBuilder.Archive;
using LayerBuilder.EngineTests.Support;
using LayerBuilder.Layers;

namespace LayerBuilder.EngineTests;

/// <summary>
/// podman 4 (containers/image + containers/storage) loads both formats into an empty store, verifying
/// every diff id, and reports our image id, layers and config. A gzipped whole archive is not tried:
/// Debian 12's podman 4.3 / skopeo 1.9 fail on every gzipped docker-archive, even one made by
/// <c>gzip</c> ("loading tar component manifest.json: unexpected EOF"; the vendored pgzip bug fixed in
/// containers/image#1668), so docker alone proves the .tar.gz output.
/// </summary>
[TestFixture]
public sealed class PodmanEngineTests
{
    /// <param name="format">The archive layout.</param>
    /// <param name="tags">Comma-separated. An OCI archive with exactly one index entry goes through
    /// podman's oci-archive path (names from the index annotations); with more it falls back to the
    /// docker-archive path (names from manifest.json, with podman's <c>localhost/</c> prefix).</param>
    /// <param name="namesFromIndex">Whether podman takes the names from index.json.</param>
    /// <param name="compression">Layer blob compression (oci format).</param>
    [TestCase(ArchiveFormat.Docker, "1.0,latest", false, LayerCompression.None)]
    [TestCase(ArchiveFormat.Oci, "1.0", true, LayerCompression.None)]
    [TestCase(ArchiveFormat.Oci, "1.0", true, LayerCompression.Zstd)]
    [TestCase(ArchiveFormat.Oci, "1.0,latest", false, LayerCompression.None)]
    [TestCase(ArchiveFormat.Oci, "1.0,latest", false, LayerCompression.Gzip)]
    public async Task LoadsIntoAnEmptyStoreWithOurIdLayersAndConfig(ArchiveFormat format, string tags, bool namesFromIndex, LayerCompression compression)
    {
        using var work = new TempFolder("podman");
        await using var podman = await Engines.PodmanAsync(work);
        var image = await FixtureImage.BuildAsync(work, "podman", format, RootfsKind.Folder, compression, tags.Split(','));
        var expectedNames = namesFromIndex ? image.Result.Tags : image.References.Select(r => "localhost/" + r).ToList();

        var load = await podman.RunCheckedAsync("load", "--input", image.ArchivePath);
        TestContext.Progress.WriteLine(load.StandardOutput.Trim());
        var loaded = load.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        Assert.That(loaded, Is.EquivalentTo(expectedNames.Select(n => $"Loaded image: {n}")), load.Describe);

        var inspected = await podman.InspectImageAsync(expectedNames[0]);
        Assert.Multiple(() =>
        {
            Assert.That(ConfigAssertions.String(inspected, "Id"), Is.EqualTo(image.Result.ImageId.Hex), "Id");
            Assert.That(ConfigAssertions.Strings(inspected, "RepoTags"), Is.EquivalentTo(expectedNames), "RepoTags");
            Assert.That(ConfigAssertions.String(inspected, "Architecture"), Is.EqualTo(FixtureImage.Architecture));
            var rootfs = ConfigAssertions.Property(inspected, "RootFS");
            Assert.That(rootfs is null ? null : ConfigAssertions.Strings(rootfs.Value, "Layers"),
                Is.EqualTo(image.Result.Layers.Select(l => l.DiffId.ToString())), "RootFS.Layers (diff ids)");
            if (namesFromIndex)
            {
                // Only the OCI path reads our manifest; the docker-archive path makes its own.
                Assert.That(ConfigAssertions.String(inspected, "Digest"), Is.EqualTo(image.Result.ManifestDigest.ToString()), "Digest (manifest)");
                Assert.That(ConfigAssertions.Map(inspected, "Annotations"), Is.EqualTo(new Dictionary<string, string> { ["org.opencontainers.image.title"] = "engine-fixture" }),
                    "Annotations (the recipe's, on our manifest)");
            }
        });

        var config = ConfigAssertions.Property(inspected, "Config");
        Assert.That(config, Is.Not.Null, "inspect has no Config");
        // podman's OCI path reads the config as an OCI config, which has no healthcheck.
        ConfigAssertions.AssertRuntimeConfig(config!.Value, ConfigAssertions.Property(inspected, "Healthcheck"), healthcheckReported: !namesFromIndex);
    }

    [Test]
    public async Task LayerWhoseBytesDoNotMatchItsDiffIdIsRefused()
    {
        using var work = new TempFolder("podman-corrupt");
        await using var podman = await Engines.PodmanAsync(work);
        var image = await FixtureImage.BuildAsync(work, "podman-corrupt", ArchiveFormat.Docker);
        var stepLayer = ArchiveRewriter.ManifestLayers(image.ArchivePath)[1];
        var corrupt = work.Combine("corrupt.tar");
        ArchiveRewriter.Rewrite(image.ArchivePath, corrupt, _ => true, (name, bytes) => name == stepLayer
            ? ArchiveRewriter.ReplaceOnce(bytes, Encoding.ASCII.GetBytes("greeting=Hello"), Encoding.ASCII.GetBytes("greeting=Jello"))
            : bytes);

        var load = await podman.RunAsync("load", "--input", corrupt);
        Assert.That(load.ExitCode, Is.Not.Zero, load.Describe);
        Assert.That(load.StandardError, Does.Contain(image.Result.Layers[1].DiffId.ToString()), load.Describe);
        var images = await podman.RunCheckedAsync("images", "--quiet");
        Assert.That(images.StandardOutput.Trim(), Is.Empty, "nothing may be stored after a refused load");
    }
}
