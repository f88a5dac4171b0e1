using System.Text.RegularExpressions;
using LayerBuilder.Tool;

namespace LayerBuilder.Tests.Hostile;

/// <summary>
/// Runs the real command line in this process (the <see cref="BuildCommand"/> Program.cs calls, output
/// captured, no cache) on a recipe in a folder of its own, and checks what a user must see when an input
/// is hostile or broken: exit 1, the expected LB code at the expected recipe position, the words that
/// name the input, no stack trace and nothing at the output path.
/// </summary>
internal static partial class HostileRun
{
    public static string RecipePath(string folder) => Path.Combine(folder, "layerbuild.yml");

    public static string OutputFolder(string folder) => Path.Combine(folder, "out");

    public static async Task<(int ExitCode, string StdOut, string StdErr)> BuildAsync(string folder, string recipe)
    {
        File.WriteAllText(RecipePath(folder), recipe);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await new BuildCommand(stdout, stderr).InvokeAsync([RecipePath(folder), "-o", Path.Combine(OutputFolder(folder), "image.tar"), "--no-cache"]);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Builds <paramref name="recipe"/> and asserts it fails with exactly one <paramref name="code"/>
    /// at <paramref name="line"/>:<paramref name="column"/> of the recipe, with all <paramref name="words"/>.</summary>
    public static async Task FailsAsync(string folder, string recipe, string code, int line, int column, params string[] words)
    {
        var (exitCode, stdout, stderr) = await BuildAsync(folder, recipe);
        var transcript = $"exit code {exitCode}\n--- stdout\n{stdout}\n--- stderr\n{stderr}";
        var printed = Diagnostic().Matches(stderr).Select(m => (Where: m.Groups["where"].Value, Code: m.Groups["code"].Value)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), transcript);
            Assert.That(printed, Is.EqualTo(new[] { ($"{RecipePath(folder)}:{line}:{column}", code) }), transcript);
            foreach (var word in words)
            {
                Assert.That(stderr, Does.Contain(word), transcript);
            }

            Assert.That(stderr, Does.Not.Match(@"(?m)^\s+at \S+\(").And.Not.Contain("Exception").And.Not.Contain("LB9001"), transcript);
            Assert.That(stdout, Does.Not.Contain("Wrote:"), transcript);
            Assert.That(Directory.Exists(OutputFolder(folder)) ? Directory.EnumerateFileSystemEntries(OutputFolder(folder)) : [], Is.Empty,
                "files were left at or beside the output path");
        });
    }

    public static async Task SucceedsAsync(string folder, string recipe)
    {
        var (exitCode, stdout, stderr) = await BuildAsync(folder, recipe);
        Assert.That(exitCode, Is.Zero, $"exit code {exitCode}\n--- stdout\n{stdout}\n--- stderr\n{stderr}");
    }

    [GeneratedRegex(@"^(?<where>.+:\d+:\d+): error (?<code>LB\d{4}): ", RegexOptions.Multiline)]
    private static partial Regex Diagnostic();
}
