using System.Text.RegularExpressions;
using LayerBuilder.Tests.Diagnostics;
using LayerBuilder.Tool;

namespace LayerBuilder.Tests.Hostile;

/// <summary>
/// Runs every row of <see cref="HostileTarTable"/> through the real command line (the same
/// <see cref="BuildCommand"/> Program.cs calls) and checks what a user sees: exit code 1, the code at the
/// recipe position naming the input, the words that say what is wrong, no stack trace, nothing left at
/// the output path, and an answer within a minute (a hang or a memory blow-up fails the row).
/// </summary>
public sealed partial class HostileTarTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    private static IEnumerable<TestCaseData> Rows() =>
        HostileTarTable.All().Select(row => new TestCaseData(row).SetName($"Hostile tar: {row.Name}"));

    [Test]
    public void The_table_has_a_row_for_every_defect_it_covers()
    {
        var rows = HostileTarTable.All().ToList();

        Assert.That(rows.Select(r => r.Name), Is.Unique);
        Assert.That(rows.SelectMany(r => r.Codes).Distinct(), Is.EquivalentTo(new[] { "LB2012", "LB2021", "LB2022", "LB2023" }));
        Assert.That(rows, Has.Count.GreaterThanOrEqualTo(35));
    }

    [TestCaseSource(nameof(Rows))]
    public async Task Hostile_tar_is_refused_precisely(BadInput row)
    {
        using var workspace = new Workspace(Path.GetTempPath());
        var (recipe, positions) = BadInput.Unmark(row.Recipe);
        workspace.Write("layerbuild.yml", recipe);
        row.Arrange?.Invoke(workspace);

        var (exitCode, stdout, stderr) = await RunAsync([workspace.RecipePath, "-o", workspace.Output, "--no-cache"]);

        var transcript = $"exit code {exitCode}\n--- stdout\n{stdout}\n--- stderr\n{stderr}";
        await TestContext.Out.WriteLineAsync(transcript);
        var printed = Diagnostic().Matches(stderr).Select(m => (Where: m.Groups["where"].Value, Code: m.Groups["code"].Value)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(row.ExitCode), transcript);
            Assert.That(printed.Select(p => p.Code), Is.EqualTo(row.Codes), transcript);
            Assert.That(printed.Select(p => p.Where), Is.EqualTo(positions.Select(p => $"{workspace.RecipePath}:{p.Line}:{p.Column}")), transcript);
            foreach (var word in row.Words)
            {
                Assert.That(stderr, Does.Contain(word), transcript);
            }

            Assert.That(stderr, Does.Not.Match(@"(?m)^\s+at \S+\(").And.Not.Contain("Exception"), "a stack trace");
            Assert.That(stdout, Does.Not.Contain("Wrote:"), transcript);
            Assert.That(File.Exists(workspace.Output), Is.False, "an archive was left at the output path");
            Assert.That(Directory.Exists(workspace.OutputFolder) ? Directory.EnumerateFileSystemEntries(workspace.OutputFolder) : [], Is.Empty,
                "files were left beside the output path");
        });
    }

    /// <summary>Runs the command line in this process, failing the test when it does not answer in time.</summary>
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string[] arguments, Action? onTimeout = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var run = Task.Run(() => new BuildCommand(stdout, stderr).InvokeAsync(arguments));
        if (await Task.WhenAny(run, Task.Delay(Patience)) != run)
        {
            onTimeout?.Invoke();
            Assert.Fail($"the build did not finish within {Patience}");
        }

        return (await run, stdout.ToString(), stderr.ToString());
    }

    [GeneratedRegex(@"^(?<where>.+:\d+:\d+): error (?<code>LB\d{4}): ", RegexOptions.Multiline)]
    private static partial Regex Diagnostic();
}
