using System.Formats.Tar;
using System.Text.Json;
using LayerBuilder.Archive;
using LayerBuilder.EngineTests.Support;
using LayerBuilder.Reading;

namespace LayerBuilder.EngineTests;

/// <summary>
/// The public reader (LayerBuilder.Reading) reads archives that real engines wrote, and validation finds
/// nothing wrong in them: <c>docker save</c> of an image docker built, <c>podman save</c> in both of its
/// formats, and skopeo's docker-archive, oci-archive and OCI layout copies. The engine here is docker
/// 20.10, whose save is the classic layout only; the Docker 25+ layout (an OCI layout plus manifest.json)
/// is covered by LayerBuilder's own <c>oci</c> format (LayerBuilder.Tests, Reading/) and by skopeo's OCI
/// outputs here. No test needs the network: images come from a static busybox or from our own archives.
/// A missing engine fails these tests when LAYERBUILDER_REQUIRE_ENGINES=1, as for every engine test.
/// </summary>
[TestFixture]
public sealed class ReaderEngineTests
{
    [Test]
    public async Task DockerSaveOfAnImageDockerBuiltIsReadAndValid()
    {
        var docker = await Engines.DockerAsync();
        var busybox = Engines.StaticBusybox();
        using var work = new TempFolder("reader-docker");
        var context = Directory.CreateDirectory(work.Combine("context")).FullName;
        File.Copy(busybox, Path.Combine(context, "busybox"));
        File.WriteAllText(Path.Combine(context, "note.txt"), "read back\n");
        File.WriteAllText(Path.Combine(context, "Dockerfile"), $"""
            FROM scratch
            COPY busybox /bin/busybox
            COPY note.txt /etc/note.txt
            ENTRYPOINT ["/bin/busybox"]
            CMD ["echo", "hello"]
            ENV MODE=engine
            LABEL {DockerEngine.TestLabel}=1
            """);
        var tag = $"lbe-reader/docker:{Guid.NewGuid():N}"[..30];
        await docker.CleanAsync([tag]);
        try
        {
            await docker.RunCheckedAsync("build", "--network", "none", "--tag", tag, context);
            var inspected = await docker.InspectImageAsync(tag);
            var saved = work.Combine("saved.tar");
            await docker.RunCheckedAsync("save", "--output", saved, tag);

            var archive = await ImageArchive.OpenAsync(saved);
            var image = archive.FindImage(tag);
            Assert.That(image, Is.Not.Null, string.Join(", ", archive.Images.SelectMany(i => i.Names)));
            Assert.Multiple(() =>
            {
                Assert.That(image!.Id.ToString(), Is.EqualTo(ConfigAssertions.String(inspected, "Id")), "the image id docker reports");
                Assert.That(image.Config.DiffIds.Select(d => d.ToString()), Is.EqualTo(ConfigAssertions.Strings(ConfigAssertions.Property(inspected, "RootFS")!.Value, "Layers")));
                Assert.That(image.Config.Config.Entrypoint, Is.EqualTo(new[] { "/bin/busybox" }));
                Assert.That(image.Config.Config.Cmd, Is.EqualTo(new[] { "echo", "hello" }));
                Assert.That(image.Config.Config.Env, Does.Contain("MODE=engine"));
                Assert.That(image.Layers, Has.Count.EqualTo(2));
            });

            var entries = await image!.Layers[0].ReadEntriesAsync().ToListAsync();
            var binary = entries.Single(e => e.Path == "bin/busybox");
            Assert.Multiple(() =>
            {
                Assert.That(binary.Kind, Is.EqualTo(LayerEntryKind.File));
                Assert.That(binary.Size, Is.EqualTo(new FileInfo(busybox).Length));
                Assert.That((int)binary.Mode & 0x1FF, Is.EqualTo((int)File.GetUnixFileMode(busybox) & 0x1FF), "the mode docker copied");
            });
            await using (var note = await image.Layers[1].OpenFileAsync("etc/note.txt"))
            {
                Assert.That(note, Is.Not.Null);
                Assert.That(await new StreamReader(note!).ReadToEndAsync(), Is.EqualTo("read back\n"));
            }

            Assert.That(await archive.ValidateAsync(), Is.Empty, "docker's own save is valid");
        }
        finally
        {
            await docker.CleanAsync([tag]);
        }
    }

    [TestCase("docker-archive")]
    [TestCase("oci-archive")]
    public async Task PodmanSaveIsReadAndValid(string format)
    {
        var busybox = Engines.StaticBusybox();
        using var work = new TempFolder("reader-podman");
        await using var podman = await Engines.PodmanAsync(work);
        var rootfs = work.Combine("rootfs.tar");
        await using (var output = File.Create(rootfs))
        await using (var tar = new TarWriter(output, TarEntryFormat.Pax))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = (UnixFileMode)0x1ED });
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox") { Mode = (UnixFileMode)0x1ED, DataStream = File.OpenRead(busybox) });
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/sh") { LinkName = "busybox" });
        }

        const string Name = "localhost/lbe-reader/podman:1.0";
        await podman.RunCheckedAsync("import", "--change", "CMD [\"/bin/sh\"]", rootfs, Name);
        var inspected = await podman.InspectImageAsync(Name);
        var saved = work.Combine($"saved-{format}.tar");
        await podman.RunCheckedAsync("save", "--format", format, "--output", saved, Name);

        var archive = await ImageArchive.OpenAsync(saved);
        Assert.That(archive.Images, Has.Count.EqualTo(1), string.Join(", ", archive.Images.SelectMany(i => i.Names)));
        var image = archive.Images[0];
        var entries = await image.Layers[0].ReadEntriesAsync().ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(image.Id.Hex, Is.EqualTo(ConfigAssertions.String(inspected, "Id")), "the image id podman reports");
            Assert.That(image.Names, Is.Not.Empty);
            Assert.That(image.Config.Config.Cmd, Is.EqualTo(new[] { "/bin/sh" }));
            Assert.That(entries.Single(e => e.Path == "bin/busybox").Size, Is.EqualTo(new FileInfo(busybox).Length));
            Assert.That(entries.Single(e => e.Path == "bin/sh").LinkTarget, Is.EqualTo("busybox"));
        });
        Assert.That(await archive.ValidateAsync(), Is.Empty, $"podman's {format} is valid");
    }

    /// <param name="destination">The skopeo transport written, with <c>{0}</c> for the path.</param>
    /// <param name="isFolder">Whether the destination is a folder (an OCI layout) rather than a tar.</param>
    [TestCase("docker-archive:{0}:lbe-reader/skopeo:1.0", false)]
    [TestCase("oci-archive:{0}:1.0", false)]
    [TestCase("oci:{0}:1.0", true)]
    public async Task SkopeoCopiesAreReadAndValid(string destination, bool isFolder)
    {
        using var work = new TempFolder("reader-skopeo");
        var skopeo = await Engines.SkopeoAsync(work);
        var ours = await FixtureImage.BuildAsync(work, "reader-skopeo", ArchiveFormat.Docker);
        var copy = work.Combine(isFolder ? "layout" : "copy.tar");
        await skopeo.RunCheckedAsync("copy", $"docker-archive:{ours.ArchivePath}", string.Format(System.Globalization.CultureInfo.InvariantCulture, destination, copy));

        var archive = await ImageArchive.OpenAsync(copy);
        Assert.That(archive.Images, Has.Count.EqualTo(1));
        var image = archive.Images[0];
        Assert.Multiple(() =>
        {
            Assert.That(image.Config.DiffIds, Is.EqualTo(ours.Result.Layers.Select(l => l.DiffId)), "skopeo keeps every layer");
            Assert.That(image.Layers.Select(l => l.DiffId), Is.EqualTo(ours.Result.Layers.Select(l => l.DiffId)));
            Assert.That(image.Config.Config.Env, Is.EqualTo(ConfigAssertions.Env));
        });
        using (var config = JsonDocument.Parse(image.RawConfig))
        {
            Assert.That(config.RootElement.GetProperty("rootfs").GetProperty("diff_ids").GetArrayLength(), Is.EqualTo(ours.Result.Layers.Count));
        }

        Assert.That(await archive.ValidateAsync(), Is.Empty, $"skopeo's {destination} is valid");
    }
}
