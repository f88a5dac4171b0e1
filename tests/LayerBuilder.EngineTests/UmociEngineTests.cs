using System.Formats.Tar;
using System.Text.Json;
using LayerBuilder.Archive;
using LayerBuilder.EngineTests.Support;
using LayerBuilder.Layers;

namespace LayerBuilder.EngineTests;

/// <summary>
/// umoci (strict about OCI media types and the layout) unpacks the oci format, extracted as a plain
/// OCI image layout, into a runtime bundle whose rootfs has every entry as the recipe wrote it.
/// </summary>
[TestFixture]
public sealed class UmociEngineTests
{
    /// <param name="rootless">With <c>--rootless</c> umoci cannot chown, so owners are not compared;
    /// without it (root only) the owners are checked too.</param>
    /// <param name="compression">Layer blob compression; umoci 0.4.7 (Debian 12) refuses
    /// <c>+zstd</c> layers ("blob is not correct mediatype"), so zstd is proven with ctr and podman instead.</param>
    [TestCase(false, LayerCompression.None)]
    [TestCase(true, LayerCompression.None)]
    [TestCase(false, LayerCompression.Gzip)]
    public async Task UnpacksTheOciFormatIntoABundleWithEveryEntryIntact(bool rootless, LayerCompression compression)
    {
        using var work = new TempFolder("umoci");
        var umoci = await Engines.UmociAsync(rootless);
        var busybox = Engines.StaticBusybox();
        var image = await FixtureImage.BuildAsync(work, "umoci", ArchiveFormat.Oci, RootfsKind.Folder, compression);

        var layout = Directory.CreateDirectory(work.Combine("layout")).FullName;
        await TarFile.ExtractToDirectoryAsync(image.ArchivePath, layout, overwriteFiles: false);
        var bundle = work.Combine("bundle");
        var unpack = await umoci.UnpackAsync(layout, image.Tags[0], bundle);
        Assert.That(unpack.ExitCode, Is.Zero, unpack.Describe);

        var rootfs = Path.Combine(bundle, "rootfs");
        var probe = new ImageProbe(image.Expected, rootfs, runPrograms: false)
        {
            // Rootless umoci cannot chown: everything belongs to whoever ran it.
            OwnerOverride = umoci.Rootless ? (HostUser.EffectiveUid, HostUser.EffectiveGid) : null,
        };
        var check = await ProcessRunner.RunCheckedAsync(busybox, ["sh", "-c", probe.Script()]);
        probe.AssertOutput(check.StandardOutput);

        // The runtime config umoci derives from our image config.
        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(bundle, "config.json")));
        var process = config.RootElement.GetProperty("process");
        Assert.Multiple(() =>
        {
            Assert.That(ConfigAssertions.Strings(process, "args"), Is.EqualTo(ConfigAssertions.Entrypoint.Concat(ConfigAssertions.Cmd)), "process.args = entrypoint + cmd");
            Assert.That(ConfigAssertions.String(process, "cwd"), Is.EqualTo("/app"), "process.cwd");
            Assert.That(ConfigAssertions.Strings(process, "env"), Is.SupersetOf(ConfigAssertions.Env), "process.env");
            var annotations = ConfigAssertions.Map(config.RootElement, "annotations") ?? [];
            Assert.That(annotations, Does.ContainKey("org.opencontainers.image.stopSignal").WithValue("SIGINT"), "stop signal (as an annotation)");
            Assert.That(annotations, Does.ContainKey("org.opencontainers.image.exposedPorts").WithValue(string.Join(',', ConfigAssertions.ExposedPorts)), "exposed ports (as an annotation)");
            Assert.That(annotations, Does.ContainKey("org.opencontainers.image.created").WithValue(FixtureImage.Created), "created (as an annotation)");
            foreach (var (label, value) in ConfigAssertions.Labels)
            {
                Assert.That(annotations, Does.ContainKey(label).WithValue(value), $"label {label} (as an annotation)");
            }

            var user = process.GetProperty("user");
            Assert.That((user.GetProperty("uid").GetInt32(), user.GetProperty("gid").GetInt32()), Is.EqualTo((1000, 1000)), "process.user");
        });
    }
}
