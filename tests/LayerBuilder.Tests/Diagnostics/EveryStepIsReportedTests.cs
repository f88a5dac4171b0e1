using LayerBuilder.Diagnostics;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Diagnostics;

/// <summary>One run reports the problems of every step, not only of the first step that fails; problems
/// that depend on a failed step's layer are left out rather than guessed.</summary>
public sealed class EveryStepIsReportedTests
{
    private const string Recipe = """
        image: multi
        steps:
          - name: one
            copy: [{ src: missing-one, dest: /a/ }]
          - name: two
            copy: [{ src: missing-two, dest: /b/ }]
            remove: [/not/there]
          - name: three
            files: [{ path: /c, content: x }]
            copy: [{ src: "nomatch/*.x", dest: /d/ }]
        """;

    [Test]
    public async Task Problems_of_later_steps_are_reported_with_the_first()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("out", "multi.tar");
        var diagnostics = await RecipeBuild.FailAsync(temp, Recipe, output);

        Assert.That(diagnostics.Select(d => (d.Code.Id, d.Position.Line)), Is.EqualTo(new[]
        {
            ("LB2001", 4),
            ("LB2001", 6),
            ("LB2002", 10),
        }));
        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public async Task A_problem_that_depends_on_a_failed_step_is_not_guessed()
    {
        using var temp = new TempDirectory();
        var diagnostics = await RecipeBuild.FailAsync(temp, Recipe, temp.Combine("multi.tar"));

        Assert.That(diagnostics.Select(d => d.Code), Has.None.EqualTo(DiagnosticCodes.RemoveMissingPath),
            "whether /not/there exists depends on the layers of the steps that failed");
    }
}
