using System.Formats.Tar;
using LayerBuilder.Archive;
using LayerBuilder.EngineTests.Support;

namespace LayerBuilder.EngineTests;

/// <summary>
/// The fixture entries of docs/fixtures.md through real engines: devices, a FIFO, setuid/setgid/sticky,
/// a file capability and a user xattr, a time before 1970, names that are not UTF-8 or over 100 bytes, a
/// hard link to a base file, explicit whiteouts and an opaque folder (<see cref="EntriesImage"/>).
/// docker runs the image and stats what it sees, and saves it again so the xattr bytes it stored can be
/// read from its own layer's PAX records; podman's store and umoci's bundle (unpacked as root) are
/// probed on the host, xattrs with getxattr(2); containerd unpacks every layer into its snapshots.
/// </summary>
[TestFixture]
public sealed class FixtureEntriesEngineTests
{
    [TestCase(ArchiveFormat.Docker)]
    [TestCase(ArchiveFormat.Oci)]
    public async Task DockerRunsTheFixtureWithEveryEntryAsWritten(ArchiveFormat format)
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("docker-entries");
        var image = await EntriesImage.BuildAsync(work, "docker-entries", format);
        await docker.CleanAsync([image.Reference]);
        try
        {
            await docker.RunCheckedAsync("load", "--input", image.ArchivePath);
            var inspected = await docker.InspectImageAsync(image.Reference);
            Assert.That(ConfigAssertions.String(inspected, "Id"), Is.EqualTo(image.Result.ImageId.ToString()));

            var run = await docker.RunCheckedAsync("run", "--rm", "--network", "none", "--user", "0:0", "--entrypoint", "/bin/sh", image.Reference, "-c", EntriesImage.Script);
            Assert.That(run.StandardOutput, Is.EqualTo(EntriesImage.ExpectedOutput(keepsTimesBefore1970: false)), run.Describe);

            // What docker stored, exported again: the capability's bytes from its own layer's PAX records.
            var saved = work.Combine("saved.tar");
            await docker.RunCheckedAsync("save", "--output", saved, image.Reference);
            Assert.That(await XattrOfSavedAsync(saved, "fixture/suid", "security.capability"), Is.EqualTo(EntriesImage.Capability));
            Assert.That(await XattrOfSavedAsync(saved, "fixture/suid", "user.note"), Is.EqualTo("hello"u8.ToArray()));
        }
        finally
        {
            await docker.CleanAsync([image.Reference]);
        }
    }

    [TestCase(ArchiveFormat.Docker)]
    [TestCase(ArchiveFormat.Oci)]
    public async Task PodmanStoresTheFixtureWithEveryEntryAsWritten(ArchiveFormat format)
    {
        using var work = new TempFolder("podman-entries");
        await using var podman = await Engines.PodmanAsync(work);
        var image = await EntriesImage.BuildAsync(work, "podman-entries", format);

        await podman.RunCheckedAsync("load", "--input", image.ArchivePath);
        var loaded = (await podman.RunCheckedAsync("images", "--quiet", "--no-trunc")).StandardOutput.Trim();
        Assert.That(loaded, Is.EqualTo(image.Result.ImageId.ToString()), "the one image of the store is ours");
        if (HostUser.EffectiveUid != 0)
        {
            Assert.Ignore("the store's files belong to sub-uids when podman runs rootless; probing them needs root");
        }

        var mount = (await podman.RunCheckedAsync("image", "mount", image.Result.ImageId.Hex)).StandardOutput.Trim();
        try
        {
            await AssertRootfsAsync(mount, keepsTimesBefore1970: false);
        }
        finally
        {
            await podman.RunAsync("image", "unmount", image.Result.ImageId.Hex);
            await RemoveAsync(work.Combine("podman", "root"));
        }
    }

    [Test]
    public async Task UmociUnpacksTheFixtureAsRootWithDevicesAndXattrs()
    {
        using var work = new TempFolder("umoci-entries");
        var umoci = await Engines.UmociAsync(rootless: false);
        var image = await EntriesImage.BuildAsync(work, "umoci-entries", ArchiveFormat.Oci);
        var layout = Directory.CreateDirectory(work.Combine("layout")).FullName;
        await TarFile.ExtractToDirectoryAsync(image.ArchivePath, layout, overwriteFiles: false);

        var bundle = work.Combine("bundle");
        try
        {
            var unpack = await umoci.UnpackAsync(layout, "1.0", bundle);
            Assert.That(unpack.ExitCode, Is.Zero, unpack.Describe);

            await AssertRootfsAsync(Path.Combine(bundle, "rootfs"), keepsTimesBefore1970: true);
        }
        finally
        {
            await RemoveAsync(bundle);
        }
    }

    /// <summary>Removes an unpacked tree with rm: .NET cannot name a file whose name is not UTF-8, so the
    /// temporary folder's own cleanup could not delete it.</summary>
    private static Task RemoveAsync(string folder) => ProcessRunner.RunCheckedAsync("rm", ["-rf", folder]);

    [TestCase(ArchiveFormat.Docker)]
    [TestCase(ArchiveFormat.Oci)]
    public async Task ContainerdUnpacksEveryLayerOfTheFixture(ArchiveFormat format)
    {
        using var work = new TempFolder("ctr-entries");
        await using var ctr = await Engines.ContainerdAsync();
        var image = await EntriesImage.BuildAsync(work, "ctr-entries", format);

        var import = await ctr.RunCheckedAsync("images", "import", image.ArchivePath);
        var check = await ctr.RunCheckedAsync("images", "check");
        var blobs = image.Result.Layers.Count + 1;

        Assert.That(check.StandardOutput, Does.Contain($" complete ({blobs}/{blobs}) "), import.Describe() + check.Describe());
        Assert.That(check.StandardOutput.TrimEnd(), Does.EndWith(" true"), "unpacked: devices, FIFO, xattrs and whiteouts applied to snapshots\n" + check.Describe());
        var snapshots = (await ctr.RunCheckedAsync("snapshots", "ls")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.That(snapshots, Has.Count.EqualTo(image.Result.Layers.Count), "one committed snapshot per layer");
    }

    /// <summary>Runs <see cref="EntriesImage.Script"/> on an unpacked root filesystem with the host's busybox
    /// (chrooted, so absolute paths are the image's), then reads the xattrs with getxattr(2).</summary>
    private static async Task AssertRootfsAsync(string rootfs, bool keepsTimesBefore1970)
    {
        var run = await ProcessRunner.RunCheckedAsync("chroot", [rootfs, "/bin/busybox", "sh", "-c", EntriesImage.Script]);
        Assert.That(run.StandardOutput, Is.EqualTo(EntriesImage.ExpectedOutput(keepsTimesBefore1970)), run.Describe);

        var suid = Path.Combine(rootfs, "fixture", "suid");
        Assert.That(await GetXattrAsync(suid, "security.capability"), Is.EqualTo(EntriesImage.Capability), "security.capability, byte for byte");
        Assert.That(await GetXattrAsync(suid, "user.note"), Is.EqualTo("hello"u8.ToArray()));
    }

    /// <summary>An xattr's bytes by getxattr(2), through Python's os module (no product code).</summary>
    private static async Task<byte[]> GetXattrAsync(string path, string name)
    {
        var result = await ProcessRunner.RunCheckedAsync("python3", ["-c", "import os, sys; print(os.getxattr(sys.argv[1], sys.argv[2]).hex())", path, name]);
        return Convert.FromHexString(result.StandardOutput.Trim());
    }

    /// <summary>An xattr of an entry in a <c>docker save</c> archive, from the PAX record of the layer that
    /// holds the entry last, by Python's tarfile.</summary>
    private static async Task<byte[]> XattrOfSavedAsync(string archive, string entry, string name)
    {
        const string Script = """
            import json, sys, tarfile
            found = None
            with tarfile.open(sys.argv[1]) as outer:
                for layer in json.load(outer.extractfile("manifest.json"))[0]["Layers"]:
                    with tarfile.open(fileobj=outer.extractfile(layer), encoding="utf-8", errors="surrogateescape") as tar:
                        for member in tar:
                            if member.name == sys.argv[2]:
                                value = member.pax_headers.get("SCHILY.xattr." + sys.argv[3])
                                found = None if value is None else value.encode("utf-8", "surrogateescape").hex()
            print(found)
            """;
        var result = await ProcessRunner.RunCheckedAsync("python3", ["-c", Script, archive, entry, name]);
        var hex = result.StandardOutput.Trim();
        Assert.That(hex, Is.Not.EqualTo("None"), $"docker save has no {name} on {entry}");
        return Convert.FromHexString(hex);
    }
}
