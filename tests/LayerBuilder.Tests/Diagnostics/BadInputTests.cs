using System.Text.RegularExpressions;
using LayerBuilder.Tool;

namespace LayerBuilder.Tests.Diagnostics;

/// <summary>
/// Runs every row of <see cref="BadInputTable"/> through the real command line (the same
/// <see cref="BuildCommand"/> Program.cs calls, with its output captured) and checks what a user sees:
/// the exit code, each diagnostic's code, file, line and column, the words that say what to fix, that
/// no stack trace is printed, and that nothing is left at the output path.
/// </summary>
public sealed partial class BadInputTests
{
    private string fixtures = "";

    [OneTimeSetUp]
    public async Task CreateFixtures() => fixtures = await BadInputFixtures.CreateAsync();

    [OneTimeTearDown]
    public void RemoveFixtures()
    {
        if (Directory.Exists(fixtures))
        {
            Directory.Delete(fixtures, recursive: true);
        }
    }

    private static IEnumerable<TestCaseData> Rows() =>
        BadInputTable.All().Select(row => new TestCaseData(row).SetName($"Bad input: {row.Name}"));

    [Test]
    public void The_table_has_at_least_40_rows_with_distinct_names()
    {
        var names = BadInputTable.All().Select(r => r.Name).ToList();

        Assert.That(names, Has.Count.GreaterThanOrEqualTo(40));
        Assert.That(names, Is.Unique);
    }

    [TestCaseSource(nameof(Rows))]
    public async Task Bad_input_is_reported_precisely(BadInput row)
    {
        using var workspace = new Workspace(fixtures);
        var (recipe, positions) = BadInput.Unmark(row.Recipe.Replace("{fixtures}", fixtures, StringComparison.Ordinal));
        Assert.That(positions, Has.Count.EqualTo(row.Codes.Length), "the row needs one marker per expected code");
        if (row.RecipeArgument is null)
        {
            workspace.Write("layerbuild.yml", row.RecipeBytes?.Invoke(recipe) ?? System.Text.Encoding.UTF8.GetBytes(recipe));
        }

        row.Arrange?.Invoke(workspace);
        var recipeArgument = row.RecipeArgument?.Invoke(workspace) ?? workspace.RecipePath;

        var (exitCode, stdout, stderr) = await RunAsync([recipeArgument, "-o", workspace.Output, .. row.Arguments]);

        var transcript = $"exit code {exitCode}\n--- stdout\n{stdout}\n--- stderr\n{stderr}";
        var printed = Diagnostic().Matches(stderr).Select(m => (Where: m.Groups["where"].Value, Code: m.Groups["code"].Value)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(row.ExitCode), transcript);
            if (row.Where is { } where)
            {
                Assert.That(printed.Select(p => p.Where), Has.All.EqualTo(where(workspace)), transcript);
                Assert.That(printed, Has.Count.EqualTo(1), transcript);
            }
            else
            {
                Assert.That(printed.Select(p => p.Code), Is.EqualTo(row.Codes), transcript);
                Assert.That(printed.Select(p => p.Where), Is.EqualTo(positions.Select(p => $"{recipeArgument}:{p.Line}:{p.Column}")), transcript);
            }

            foreach (var word in row.Words)
            {
                Assert.That(stderr, Does.Contain(word), transcript);
            }

            Assert.That(stderr, Does.Not.Match(@"(?m)^\s+at \S+\(").And.Not.Contain("Exception"), "a stack trace without --verbose");
            Assert.That(stdout, Does.Not.Contain("Wrote:"), transcript);
            Assert.That(File.Exists(workspace.Output), Is.False, "an archive was left at the output path");
            Assert.That(Directory.Exists(workspace.OutputFolder) ? Directory.EnumerateFileSystemEntries(workspace.OutputFolder) : [], Is.Empty,
                "files were left beside the output path");
        });
    }

    [Test]
    public async Task Verbose_shows_no_stack_trace_for_a_user_error_either()
    {
        using var workspace = new Workspace(fixtures);
        workspace.Write("layerbuild.yml", "image: example/bad\nsteps:\n  - copy: [{ src: missing, dest: /a }]\n");

        var (exitCode, _, stderr) = await RunAsync([workspace.RecipePath, "-o", workspace.Output, "--verbose"]);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(stderr, Does.Contain("LB2001").And.Not.Contain("Exception"));
    }

    private static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string[] arguments)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await new BuildCommand(stdout, stderr).InvokeAsync(arguments);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    [GeneratedRegex(@"^(?<where>.+:\d+:\d+): error (?<code>LB\d{4}): ", RegexOptions.Multiline)]
    private static partial Regex Diagnostic();
}
