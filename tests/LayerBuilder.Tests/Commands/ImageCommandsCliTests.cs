using LayerBuilder.Archive;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Reading;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Commands;

/// <summary>
/// inspect, verify and diff as a user runs them (README "Commands"): text output, exit codes, one LB
/// line per problem and no stack trace; the root command still builds.
/// </summary>
[Category(NativeToolRerun.Category)]
public sealed class ImageCommandsCliTests
{
    private ReaderFixture fixture = null!;

    private string Out => Path.Combine(fixture.Folder, "out");

    [OneTimeSetUp]
    public async Task BuildArchives()
    {
        fixture = ReaderFixture.Create();
        await fixture.BuildAsync("docker.tar", ArchiveFormat.Docker);
        await fixture.BuildAsync("oci.tar", ArchiveFormat.Oci);
        var faulty = RecipeParser.Parse(ReaderFixture.Recipe + "\nfaults: [path-traversal, absolute-path, config-digest-mismatch]\n", "layerbuild.yml", fixture.Folder);
        await Build.ImageBuilder.BuildAsync(Build.BuildRequest.ToFile(faulty, Path.Combine(Out, "faulty.tar")));
    }

    [OneTimeTearDown]
    public void Remove() => fixture.Dispose();

    [Test]
    public void Inspect_shows_names_ids_layers_entries_and_the_final_filesystem()
    {
        var run = LayerBuilderCli.Run(["inspect", "oci.tar", "--files", "--merged"], Out);

        Assert.That(run.ExitCode, Is.Zero, run.Transcript);
        Assert.That(run.StdOut, Does.Contain("Name:       example/reader:1.0")
            .And.Contain("Platform:   linux/arm64/v8")
            .And.Contain("  created by: layerbuild step: cleanup")
            .And.Contain("whiteout 0000 0:0            0 etc/.wh.old.conf (removes etc/old.conf)")
            .And.Contain("char     0666 0:0            0 dev/null (1,3)")
            .And.Contain("etc/passwd [xattrs: user.note]")
            .And.Contain("Final filesystem: "), run.Transcript);
        Assert.That(run.StdOut.Split('\n').SkipWhile(l => !l.StartsWith("Final filesystem", StringComparison.Ordinal)), Has.None.Contains("old.conf"));
    }

    [Test]
    public void Verify_of_a_sound_archive_exits_0_and_of_a_faulty_one_1_with_one_line_per_problem()
    {
        var sound = LayerBuilderCli.Run(["verify", "docker.tar"], Out);
        var faulty = LayerBuilderCli.Run(["verify", "faulty.tar"], Out);
        var lines = faulty.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sound.ExitCode, Is.Zero, sound.Transcript);
            Assert.That(faulty.ExitCode, Is.EqualTo(1), faulty.Transcript);
            Assert.That(lines.Select(l => l.Split(' ')[2].TrimEnd(':')), Is.EquivalentTo(new[] { "LB4001", "LB4010", "LB4011" }), faulty.Transcript);
            Assert.That(lines, Has.All.StartWith("faulty.tar:1:1: error LB"));
            Assert.That(faulty.StdErr, Does.Not.Contain("   at "));
        }
    }

    [Test]
    public void Verify_of_no_archive_is_one_LB_line_and_exit_1()
    {
        var run = LayerBuilderCli.Run(["verify", "nothing-here.tar"], Out);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Transcript);
        Assert.That(run.StdErr.Trim(), Does.StartWith("nothing-here.tar:1:1: error LB2001:").And.Not.Contains("\n"));
    }

    [Test]
    public void Diff_exits_0_for_the_same_image_in_both_formats_1_when_they_differ_and_2_when_one_cannot_be_read()
    {
        var same = LayerBuilderCli.Run(["diff", "docker.tar", "oci.tar"], Out);
        var differ = LayerBuilderCli.Run(["diff", "docker.tar", Path.Combine(fixture.Folder, "rootfs.tar")], Out);
        var trouble = LayerBuilderCli.Run(["diff", "docker.tar", "faulty.tar"], Out);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(same.ExitCode, Is.Zero, same.Transcript);
            Assert.That(same.StdOut, Is.Empty, same.Transcript);
            Assert.That(differ.ExitCode, Is.EqualTo(2), "a rootfs tar is no image archive: " + differ.Transcript);
            Assert.That(trouble.ExitCode, Is.EqualTo(2), trouble.Transcript);
            Assert.That(trouble.StdErr, Does.Contain("error LB2018"), trouble.Transcript);
        }
    }

    [Test]
    public async Task Diff_prints_config_and_path_changes()
    {
        var changed = RecipeParser.Parse(ReaderFixture.Recipe.Replace("MODE: read", "MODE: write").Replace("\"2750\"", "\"0750\""), "layerbuild.yml", fixture.Folder);
        await Build.ImageBuilder.BuildAsync(Build.BuildRequest.ToFile(changed, Path.Combine(Out, "changed.tar")));

        var run = LayerBuilderCli.Run(["diff", "docker.tar", "changed.tar"], Out);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Transcript);
        Assert.That(run.StdOut, Does.Contain("config config.Env[1]: \"MODE=read\" -> \"MODE=write\"").And.Contain("M app/shared (mode)"), run.Transcript);
    }

    [Test]
    public void An_image_the_archive_lacks_is_LB1057_naming_the_ones_it_has()
    {
        var run = LayerBuilderCli.Run(["inspect", "docker.tar", "--image", "example/other:1.0"], Out);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Transcript);
        Assert.That(run.StdErr, Does.Contain("error LB1057").And.Contain("example/reader:1.0"), run.Transcript);
    }
}
