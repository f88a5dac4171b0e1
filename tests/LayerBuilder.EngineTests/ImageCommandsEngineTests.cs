using System.Formats.Tar;
using System.Text.Json;
using LayerBuilder.Archive;
using LayerBuilder.EngineTests.Support;
using LayerBuilder.Reading;
using LayerBuilder.Tool;

namespace LayerBuilder.EngineTests;

/// <summary>
/// inspect, verify and diff on archives engines wrote: <c>docker save</c> of an image docker built FROM one
/// of ours, <c>podman save</c> in both formats, and skopeo's OCI copy. The commands run in-process through
/// the tool's own command line; the library calls they make are the ones fixture tests make.
/// </summary>
[TestFixture]
public sealed class ImageCommandsEngineTests
{
    [Test]
    public async Task Docker_save_of_an_image_docker_built_from_ours_verifies_and_differs_by_exactly_what_the_Dockerfile_added()
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("commands-docker");
        var ours = await FixtureImage.BuildAsync(work, "commands-docker", ArchiveFormat.Docker);
        var derived = $"lbe-commands/derived:{Guid.NewGuid():N}"[..34];
        await docker.CleanAsync([.. ours.References, derived]);
        try
        {
            await docker.RunCheckedAsync("load", "--input", ours.ArchivePath);
            var context = Directory.CreateDirectory(work.Combine("context")).FullName;
            File.WriteAllText(Path.Combine(context, "added.txt"), "added by docker\n");
            File.WriteAllText(Path.Combine(context, "Dockerfile"), $"""
                FROM {ours.References.First()}
                COPY added.txt /srv/added.txt
                ENV ADDED=yes
                """);
            await docker.RunCheckedAsync("build", "--network", "none", "--tag", derived, context);
            var saved = work.Combine("derived.tar");
            await docker.RunCheckedAsync("save", "--output", saved, derived);

            var verify = await RunAsync("verify", saved);
            var inspect = await RunAsync("inspect", saved, "--merged", "--json");
            var diff = await RunAsync("diff", ours.ArchivePath, saved);
            var difference = await ImageComparison.CompareAsync(
                (await ImageArchive.OpenAsync(ours.ArchivePath)).Images.Single(), (await ImageArchive.OpenAsync(saved)).Images.Single());

            using (Assert.EnterMultipleScope())
            {
                Assert.That(verify.ExitCode, Is.Zero, verify.Text);
                Assert.That(inspect.ExitCode, Is.Zero, inspect.Text);
                Assert.That(Merged(inspect.StdOut), Does.Contain("srv/added.txt"));
                Assert.That(diff.ExitCode, Is.EqualTo(1), diff.Text);
                Assert.That(difference.PathChanges.Where(c => c.Change != PathChangeKind.Added || !c.Path.StartsWith("srv", StringComparison.Ordinal)), Is.Empty,
                    string.Join("\n", difference.PathChanges));
                Assert.That(difference.PathChanges.Select(c => c.Path), Does.Contain("srv/added.txt"));
                Assert.That(difference.ConfigChanges.Select(c => c.Right), Does.Contain("\"ADDED=yes\""));
            }
        }
        finally
        {
            await docker.CleanAsync([.. ours.References, derived]);
        }
    }

    [TestCase("docker-archive")]
    [TestCase("oci-archive")]
    public async Task Podman_save_verifies_and_inspects(string format)
    {
        using var work = new TempFolder("commands-podman");
        await using var podman = await Engines.PodmanAsync(work);
        var rootfs = work.Combine("rootfs.tar");
        await using (var output = File.Create(rootfs))
        await using (var tar = new TarWriter(output, TarEntryFormat.Pax))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "etc/") { Mode = (UnixFileMode)0x1ED });
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "etc/hello") { Mode = (UnixFileMode)0x1A4, DataStream = new MemoryStream("hello\n"u8.ToArray()) });
        }

        const string Name = "localhost/lbe-commands/podman:1.0";
        await podman.RunCheckedAsync("import", rootfs, Name);
        var saved = work.Combine($"saved-{format}.tar");
        await podman.RunCheckedAsync("save", "--format", format, "--output", saved, Name);

        var verify = await RunAsync("verify", saved);
        var inspect = await RunAsync("inspect", saved, "--merged", "--json");

        Assert.That(verify.ExitCode, Is.Zero, verify.Text);
        Assert.That(inspect.ExitCode, Is.Zero, inspect.Text);
        Assert.That(Merged(inspect.StdOut), Is.EqualTo(new[] { "etc", "etc/hello" }));
    }

    [Test]
    public async Task A_skopeo_oci_copy_of_ours_verifies_and_differs_only_by_the_healthcheck_the_oci_config_has_no_field_for()
    {
        using var work = new TempFolder("commands-skopeo");
        var skopeo = await Engines.SkopeoAsync(work);
        var ours = await FixtureImage.BuildAsync(work, "commands-skopeo", ArchiveFormat.Docker);
        var copy = work.Combine("copy.tar");
        await skopeo.RunCheckedAsync("copy", $"docker-archive:{ours.ArchivePath}", $"oci-archive:{copy}:1.0");

        var verify = await RunAsync("verify", copy);
        var diff = await RunAsync("diff", ours.ArchivePath, copy, "--json");
        var result = JsonDocument.Parse(diff.StdOut).RootElement;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verify.ExitCode, Is.Zero, verify.Text);
            Assert.That(diff.ExitCode, Is.EqualTo(1), diff.Text);
            Assert.That(result.GetProperty("paths").GetArrayLength(), Is.Zero, "every layer is kept: " + diff.Text);
            Assert.That(result.GetProperty("config").EnumerateArray().Select(c => c.GetProperty("field").GetString()),
                Is.Not.Empty.And.All.StartWith("config.Healthcheck."), "converting to OCI drops Docker's healthcheck: " + diff.Text);
        }
    }

    private static async Task<(int ExitCode, string StdOut, string Text)> RunAsync(params string[] arguments)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await new BuildCommand(stdout, stderr).InvokeAsync(arguments);
        return (exitCode, stdout.ToString(), $"exit {exitCode}\n{stdout}\n{stderr}");
    }

    private static List<string> Merged(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("merged").EnumerateArray().Select(e => e.GetProperty("path").GetString()!).ToList();
}
