using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using LayerBuilder.Archive;
using LayerBuilder.EngineTests.Support;

namespace LayerBuilder.EngineTests;

/// <summary>
/// Images of exactly one layer, whose layer data sits at a page boundary of the outer tar behind a PAX
/// <c>comment</c> record (see <see cref="OneLayerImage"/>), in both formats and both one-layer recipe
/// shapes: every engine loads them with our ids and diff id, and the containers run.
/// </summary>
[TestFixture]
public sealed class OneLayerEngineTests
{
    [TestCase(OneLayerShape.RootfsFolder, ArchiveFormat.Docker)]
    [TestCase(OneLayerShape.RootfsFolder, ArchiveFormat.Oci)]
    [TestCase(OneLayerShape.ScratchStep, ArchiveFormat.Docker)]
    [TestCase(OneLayerShape.ScratchStep, ArchiveFormat.Oci)]
    public async Task DockerLoadsWithOurIdAndDiffIdAndRuns(OneLayerShape shape, ArchiveFormat format)
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("one-docker");
        var image = await OneLayerImage.BuildAsync(work, "one-docker", format, shape);
        image.AssertPaddedLayout();

        await docker.CleanAsync(image.References);
        try
        {
            var load = await docker.RunCheckedAsync("load", "--input", image.ArchivePath);
            TestContext.Progress.WriteLine(load.StandardOutput.Trim());
            Assert.That(load.StandardOutput, Is.EqualTo(string.Concat(image.References.Select(r => $"Loaded image: {r}\n"))), load.Describe);

            var reference = image.References.First();
            var inspected = await docker.InspectImageAsync(reference);
            Assert.Multiple(() =>
            {
                Assert.That(ConfigAssertions.String(inspected, "Id"), Is.EqualTo(image.Result.ImageId.ToString()), "Id");
                Assert.That(ConfigAssertions.Strings(inspected, "RepoTags"), Is.EquivalentTo(image.References), "RepoTags");
                var rootfs = ConfigAssertions.Property(inspected, "RootFS");
                Assert.That(rootfs is null ? null : ConfigAssertions.Strings(rootfs.Value, "Layers"), Is.EqualTo(new[] { image.DiffId }), "RootFS.Layers (the one diff id)");
            });

            var run = await docker.RunCheckedAsync("run", "--rm", "--network", "none", reference);
            Assert.That(run.StandardOutput, Is.EqualTo(image.RunOutput), run.Describe);
        }
        finally
        {
            await docker.CleanAsync(image.References);
        }
    }

    /// <param name="shape">The one-layer recipe.</param>
    /// <param name="format">The archive layout.</param>
    /// <param name="tags">Comma-separated; an OCI archive with one index entry goes through podman's
    /// oci-archive path (names from index.json), otherwise through its docker-archive path
    /// (names from manifest.json with a <c>localhost/</c> prefix).</param>
    /// <param name="namesFromIndex">Whether podman takes the names from index.json.</param>
    [TestCase(OneLayerShape.RootfsFolder, ArchiveFormat.Docker, "1.0,latest", false)]
    [TestCase(OneLayerShape.RootfsFolder, ArchiveFormat.Oci, "1.0", true)]
    [TestCase(OneLayerShape.RootfsFolder, ArchiveFormat.Oci, "1.0,latest", false)]
    [TestCase(OneLayerShape.ScratchStep, ArchiveFormat.Docker, "1.0,latest", false)]
    [TestCase(OneLayerShape.ScratchStep, ArchiveFormat.Oci, "1.0", true)]
    [TestCase(OneLayerShape.ScratchStep, ArchiveFormat.Oci, "1.0,latest", false)]
    public async Task PodmanLoadsIntoAnEmptyStoreWithOurIdAndDiffId(OneLayerShape shape, ArchiveFormat format, string tags, bool namesFromIndex)
    {
        using var work = new TempFolder("one-podman");
        await using var podman = await Engines.PodmanAsync(work);
        var image = await OneLayerImage.BuildAsync(work, "one-podman", format, shape, tags.Split(','));
        image.AssertPaddedLayout();
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
            var rootfs = ConfigAssertions.Property(inspected, "RootFS");
            Assert.That(rootfs is null ? null : ConfigAssertions.Strings(rootfs.Value, "Layers"), Is.EqualTo(new[] { image.DiffId }), "RootFS.Layers (the one diff id)");
            if (namesFromIndex)
            {
                Assert.That(ConfigAssertions.String(inspected, "Digest"), Is.EqualTo(image.Result.ManifestDigest.ToString()), "Digest (manifest)");
            }
        });
    }

    [TestCase(OneLayerShape.RootfsFolder, ArchiveFormat.Docker)]
    [TestCase(OneLayerShape.RootfsFolder, ArchiveFormat.Oci)]
    [TestCase(OneLayerShape.ScratchStep, ArchiveFormat.Docker)]
    [TestCase(OneLayerShape.ScratchStep, ArchiveFormat.Oci)]
    public async Task ContainerdImportsAndUnpacksTheLayerUnderItsDiffId(OneLayerShape shape, ArchiveFormat format)
    {
        using var work = new TempFolder("one-ctr");
        await using var ctr = await Engines.ContainerdAsync();
        var image = await OneLayerImage.BuildAsync(work, "one-ctr", format, shape);
        image.AssertPaddedLayout();
        Assert.That(Table(await ctr.RunCheckedAsync("snapshots", "ls")), Is.Empty, $"namespace {ctr.Namespace} must start empty");

        var import = await ctr.RunCheckedAsync("images", "import", image.ArchivePath);
        TestContext.Progress.WriteLine(import.StandardOutput.Trim());
        foreach (var name in image.Result.Tags)
        {
            Assert.That(import.StandardOutput, Does.Contain($"unpacking {name} (sha256:"), import.Describe);
        }

        var images = Table(await ctr.RunCheckedAsync("images", "ls"));
        Assert.That(images.Select(r => r[0]), Is.EquivalentTo(image.Result.Tags), "image names");
        if (format == ArchiveFormat.Oci)
        {
            Assert.That(images.Select(r => r[2]), Has.All.EqualTo(image.Result.ManifestDigest.ToString()), "our manifest, by its digest");
        }

        var check = await ctr.RunCheckedAsync("images", "check");
        Assert.Multiple(() =>
        {
            foreach (var name in image.Result.Tags)
            {
                var line = check.StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
                Assert.That(line, Does.Contain(" complete (2/2) ").And.EndWith(" true"), $"`ctr images check` of {name} (config and layer, unpacked):\n{check.StandardOutput}");
            }
        });

        // The chain id of a single layer is its diff id.
        var snapshots = Table(await ctr.RunCheckedAsync("snapshots", "ls")).Select(r => r[0]).ToList();
        Assert.That(snapshots, Is.EqualTo(new[] { image.DiffId }), "one committed snapshot, keyed by the layer's diff id (so the diff id was verified on unpack)");
    }

    [TestCase(OneLayerShape.RootfsFolder, ArchiveFormat.Docker)]
    [TestCase(OneLayerShape.RootfsFolder, ArchiveFormat.Oci)]
    [TestCase(OneLayerShape.ScratchStep, ArchiveFormat.Docker)]
    [TestCase(OneLayerShape.ScratchStep, ArchiveFormat.Oci)]
    public async Task SkopeoInspectsAndCopiesTheArchive(OneLayerShape shape, ArchiveFormat format)
    {
        using var work = new TempFolder("one-skopeo");
        var skopeo = await Engines.SkopeoAsync(work);
        var image = await OneLayerImage.BuildAsync(work, "one-skopeo", format, shape);
        image.AssertPaddedLayout();

        var source = $"docker-archive:{image.ArchivePath}";
        var inspect = await skopeo.RunCheckedAsync("inspect", source);
        using (var document = JsonDocument.Parse(inspect.StandardOutput))
        {
            // Uncompressed: the layer's blob digest is its diff id.
            Assert.That(ConfigAssertions.Strings(document.RootElement, "Layers"), Is.EqualTo(new[] { image.DiffId }), inspect.Describe);
        }

        if (format == ArchiveFormat.Oci)
        {
            var oci = await skopeo.RunCheckedAsync("inspect", $"oci-archive:{image.ArchivePath}:{image.Tags[0]}");
            using var document = JsonDocument.Parse(oci.StandardOutput);
            Assert.Multiple(() =>
            {
                Assert.That(ConfigAssertions.String(document.RootElement, "Digest"), Is.EqualTo(image.Result.ManifestDigest.ToString()), oci.Describe);
                Assert.That(ConfigAssertions.Strings(document.RootElement, "Layers"), Is.EqualTo(new[] { image.DiffId }), oci.Describe);
            });
        }

        var layout = work.Combine("layout");
        var copy = await skopeo.RunCheckedAsync("copy", source, $"oci:{layout}:copied");
        TestContext.Progress.WriteLine(copy.StandardOutput.Trim());
        Assert.Multiple(() =>
        {
            // skopeo reads the layer member and checks it against the diff id it announces.
            Assert.That(copy.StandardOutput, Does.Contain($"Copying blob {image.DiffId}"), copy.Describe);
            Assert.That(copy.StandardOutput, Does.Contain("Writing manifest to image destination"), copy.Describe);
        });

        var copied = await skopeo.RunCheckedAsync("inspect", "--config", $"oci:{layout}:copied");
        using var config = JsonDocument.Parse(copied.StandardOutput);
        var rootfs = ConfigAssertions.Property(config.RootElement, "rootfs");
        Assert.That(rootfs is null ? null : ConfigAssertions.Strings(rootfs.Value, "diff_ids"), Is.EqualTo(new[] { image.DiffId }), "rootfs.diff_ids of the copy");
    }

    /// <param name="shape">The one-layer recipe.</param>
    /// <param name="rootless">With <c>--rootless</c> umoci cannot chown; without it (root only) it does.</param>
    [TestCase(OneLayerShape.RootfsFolder, false)]
    [TestCase(OneLayerShape.RootfsFolder, true)]
    [TestCase(OneLayerShape.ScratchStep, false)]
    [TestCase(OneLayerShape.ScratchStep, true)]
    public async Task UmociUnpacksTheOciFormatWithItsFiles(OneLayerShape shape, bool rootless)
    {
        using var work = new TempFolder("one-umoci");
        var umoci = await Engines.UmociAsync(rootless);
        var image = await OneLayerImage.BuildAsync(work, "one-umoci", ArchiveFormat.Oci, shape);
        image.AssertPaddedLayout();

        var layout = Directory.CreateDirectory(work.Combine("layout")).FullName;
        await TarFile.ExtractToDirectoryAsync(image.ArchivePath, layout, overwriteFiles: false);
        var bundle = work.Combine("bundle");
        var unpack = await umoci.UnpackAsync(layout, image.Tags[0], bundle);
        Assert.That(unpack.ExitCode, Is.Zero, unpack.Describe);

        var rootfs = Path.Combine(bundle, "rootfs");
        var busybox = Path.Combine(rootfs, "bin", "busybox");
        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(bundle, "config.json")));
        var process = config.RootElement.GetProperty("process");
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(busybox) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(busybox))) : "<missing>",
                Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(image.Busybox)))), "/bin/busybox is the host's busybox");
            Assert.That(File.Exists(busybox) ? Convert.ToString((int)File.GetUnixFileMode(busybox), 8) : "<missing>", Is.EqualTo("755"), "mode of /bin/busybox");
            Assert.That(new FileInfo(Path.Combine(rootfs, "bin", "sh")).LinkTarget, Is.EqualTo("busybox"), "/bin/sh -> busybox");
            foreach (var (path, text) in image.Texts)
            {
                var host = Path.Combine(rootfs, path.TrimStart('/'));
                Assert.That(File.Exists(host) ? File.ReadAllText(host) : "<missing>", Is.EqualTo(text), path);
            }

            Assert.That(ConfigAssertions.Strings(process, "args"), Is.EqualTo(image.Args), "process.args = entrypoint + cmd");
        });
    }

    /// <summary>The rows of a ctr table, split on whitespace, without the header.</summary>
    private static List<string[]> Table(ProcessResult result) =>
        result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1)
            .Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(r => r.Length > 0)
            .ToList();
}
