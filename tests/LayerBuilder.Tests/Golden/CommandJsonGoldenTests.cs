using LayerBuilder.Archive;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Reading;
using LayerBuilder.Tests.Schema;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Golden;

/// <summary>
/// The <c>--json</c> output of inspect, verify and diff is a stable contract (docs/commands.md): for the
/// reader fixture's archives it is byte for byte the files in <c>tests/golden/commands</c>. Changing one
/// is a deliberate change (docs/testing.md): run with LAYERBUILDER_WRITE_GOLDEN=1 to rewrite them, and
/// review the difference.
/// </summary>
[Category(NativeToolRerun.Category)]
public sealed class CommandJsonGoldenTests
{
    private ReaderFixture fixture = null!;

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData("inspect-docker.json", new[] { "inspect", "docker.tar", "--json" }, 0);
        yield return new TestCaseData("inspect-oci-files-merged.json", new[] { "inspect", "oci.tar", "--json", "--files", "--merged", "--image", "example/reader:1.0" }, 0);
        yield return new TestCaseData("verify-oci.json", new[] { "verify", "oci.tar", "--json" }, 0);
        yield return new TestCaseData("verify-faulty.json", new[] { "verify", "faulty.tar", "--json" }, 1);
        yield return new TestCaseData("diff.json", new[] { "diff", "docker.tar", "changed.tar", "--json" }, 1);
    }

    [OneTimeSetUp]
    public async Task BuildArchives()
    {
        fixture = ReaderFixture.Create();
        await fixture.BuildAsync("docker.tar", ArchiveFormat.Docker);
        await fixture.BuildAsync("oci.tar", ArchiveFormat.Oci);
        var faulty = RecipeParser.Parse(ReaderFixture.Recipe + "\nfaults: [symlink-escape, config-digest-mismatch]\n", "layerbuild.yml", fixture.Folder);
        await Build.ImageBuilder.BuildAsync(Build.BuildRequest.ToFile(faulty, Path.Combine(fixture.Folder, "out", "faulty.tar")) with { Format = ArchiveFormat.Oci });
        var changed = RecipeParser.Parse(
            ReaderFixture.Recipe.Replace("MODE: read", "MODE: write").Replace("echo run", "echo ran").Replace("\"2750\"", "\"0750\""),
            "layerbuild.yml", fixture.Folder);
        await Build.ImageBuilder.BuildAsync(Build.BuildRequest.ToFile(changed, Path.Combine(fixture.Folder, "out", "changed.tar")));
    }

    [OneTimeTearDown]
    public void Remove() => fixture.Dispose();

    [TestCaseSource(nameof(Cases))]
    public void The_json_output_is_the_golden_file(string golden, string[] arguments, int exitCode)
    {
        var run = LayerBuilderCli.Run(arguments, Path.Combine(fixture.Folder, "out"));
        var file = RepositoryFiles.Combine("tests", "golden", "commands", golden);
        if (Environment.GetEnvironmentVariable("LAYERBUILDER_WRITE_GOLDEN") == "1")
        {
            File.WriteAllText(file, run.StdOut);
        }

        Assert.That(run.ExitCode, Is.EqualTo(exitCode), run.Transcript);
        Assert.That(run.StdOut, Is.EqualTo(File.ReadAllText(file)), $"{golden} (see docs/testing.md to change it on purpose)");
    }
}
