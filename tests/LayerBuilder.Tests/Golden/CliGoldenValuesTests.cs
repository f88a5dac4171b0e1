using System.Text.RegularExpressions;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Golden;

/// <summary>
/// The CLI, run as a child process, builds each golden fixture in each format to the committed values,
/// and prints them. In CI the native tool runs these again (category <see cref="NativeToolRerun.Category"/>),
/// so the portable and the native tool are held to the same bytes.
/// </summary>
[Category(NativeToolRerun.Category)]
public sealed partial class CliGoldenValuesTests
{
    [TestCaseSource(typeof(GoldenImages), nameof(GoldenImages.Cases))]
    public async Task The_cli_builds_the_golden_bytes_and_prints_the_golden_values(GoldenImage golden)
    {
        using var temp = new TempDirectory();
        var archive = temp.Combine("image.tar");

        var run = LayerBuilderCli.Run([golden.Recipe, "-o", archive, .. golden.CliArguments], temp.Path);

        Assert.That(run.ExitCode, Is.Zero, run.Transcript);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Printed(run.StdOut, "Image id"), Is.EqualTo(new[] { golden.ImageId }), run.Transcript);
            Assert.That(Printed(run.StdOut, "Manifest"), Is.EqualTo(new[] { golden.ManifestDigest }), run.Transcript);
            Assert.That(Printed(run.StdOut, "Layer"), Is.EqualTo(golden.DiffIds), run.Transcript);
        }

        await GoldenImages.AssertArchiveAsync(archive, golden);
    }

    [TestCaseSource(typeof(GoldenImages), nameof(GoldenImages.Cases))]
    public async Task The_cli_writes_the_golden_bytes_to_standard_output(GoldenImage golden)
    {
        using var temp = new TempDirectory();
        var archive = temp.Combine("from-stdout.tar");

        // The shell sends standard output to the file: the bytes are exactly what the tool wrote there.
        var run = LayerBuilderCli.RunToFile([golden.Recipe, "-o", "-", "--quiet", .. golden.CliArguments], temp.Path, archive);

        Assert.That(run.ExitCode, Is.Zero, run.Transcript);
        await GoldenImages.AssertArchiveAsync(archive, golden);
    }

    /// <summary>The first word after "Label:" on each line that starts with it.</summary>
    private static List<string> Printed(string stdout, string label) =>
        stdout.Split('\n').Select(line => SummaryLine().Match(line)).Where(m => m.Success && m.Groups["label"].Value == label).Select(m => m.Groups["value"].Value).ToList();

    [GeneratedRegex(@"^(?<label>[A-Za-z ]+):\s+(?<value>\S+)")]
    private static partial Regex SummaryLine();
}
