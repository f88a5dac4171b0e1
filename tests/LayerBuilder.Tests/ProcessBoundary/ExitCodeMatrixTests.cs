using LayerBuilder.Archive;
using LayerBuilder.Tests.Support;
using LayerBuilder.Tool;

namespace LayerBuilder.Tests.ProcessBoundary;

/// <summary>
/// Every exit code README documents, each caused for real: the CLI runs as a child process for 0, 1, 2,
/// 3 and 130. An internal error (70) is a bug, so no honest input causes one in the child; it is caused
/// in-process instead, by giving <see cref="BuildRunner"/> a report writer that fails in a way no user
/// can cause (an <see cref="ObjectDisposedException"/>). The expected numbers are literals, not
/// <see cref="ExitCodes"/>: changing a documented code must break this test.
/// </summary>
[Category(NativeToolRerun.Category)]
public sealed class ExitCodeMatrixTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Test]
    public void Exit_0_a_build_that_succeeds()
    {
        using var temp = SmallRecipe("hello.txt");

        var run = Run(temp, ["layerbuild.yml", "-o", "out/small.tar"]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Transcript);
        Assert.That(File.Exists(temp.Combine("out", "small.tar")), Is.True);
    }

    [Test]
    public void Exit_1_a_recipe_whose_input_is_missing()
    {
        using var temp = SmallRecipe("missing.txt");

        var run = Run(temp, ["layerbuild.yml", "-o", "out/small.tar"]);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Transcript);
        Assert.That(run.StdErr, Does.Contain("error LB2001:"), run.Transcript);
    }

    [Test]
    public void Exit_2_a_command_line_that_is_wrong()
    {
        using var temp = SmallRecipe("hello.txt");

        var run = Run(temp, ["layerbuild.yml", "--format", "tarball"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Transcript);
        Assert.That(run.StdErr, Does.Contain("--help"), run.Transcript);
    }

    [Test]
    public void Exit_3_an_archive_that_cannot_be_written()
    {
        using var temp = SmallRecipe("hello.txt");

        var run = Run(temp, ["layerbuild.yml", "-o", "-"], stdoutRedirection: ">/dev/full");

        Assert.That(run.ExitCode, Is.EqualTo(3), run.Transcript);
        Assert.That(run.StdErr, Does.Contain("error LB3001:"), run.Transcript);
    }

    [Test]
    public void Exit_70_an_internal_error_without_a_stack_trace()
    {
        var (exitCode, stderr) = RunWithBrokenReportWriter(verbose: false);

        Assert.That(exitCode, Is.EqualTo(70), stderr);
        Assert.That(stderr, Does.Match("(?m)^error LB9001: internal error: ObjectDisposedException"), stderr);
        Assert.That(stderr, Does.Contain("--verbose").And.Not.Match(@"(?m)^\s+at \S+\("), "no stack trace without --verbose");
    }

    [Test]
    public void Exit_70_an_internal_error_with_its_stack_trace_under_verbose()
    {
        var (exitCode, stderr) = RunWithBrokenReportWriter(verbose: true);

        Assert.That(exitCode, Is.EqualTo(70), stderr);
        Assert.That(stderr, Does.Match("(?m)^error LB9001: internal error: ObjectDisposedException"), stderr);
        Assert.That(stderr, Does.Match(@"(?m)^\s+at \S+\("), "a stack trace with --verbose");
    }

    [Test]
    public void Exit_130_a_build_stopped_by_ctrl_c()
    {
        using var build = new LargeBuild();
        using var child = build.Start();
        build.WaitUntilMidWrite(child);

        child.Signal("INT");

        build.AssertCancelledCleanly(child.WaitForExit(Timeout), 130);
    }

    private static TempDirectory SmallRecipe(string source)
    {
        var temp = new TempDirectory();
        temp.WriteFile("hello.txt", "hello\n");
        temp.WriteFile("layerbuild.yml", $"image: example/small\nsteps:\n  - copy: [{{ src: {source}, dest: /hello.txt }}]\n");
        return temp;
    }

    private static CliRun Run(TempDirectory temp, string[] arguments, string? stdoutRedirection = null)
    {
        using var child = CliProcess.Start(arguments, temp.Path, new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = temp.Combine("cache") }, stdoutRedirection);
        return child.WaitForExit(Timeout);
    }

    /// <summary>A good build whose report writer was disposed: the build succeeds, reporting it throws.</summary>
    private static (int ExitCode, string StdErr) RunWithBrokenReportWriter(bool verbose)
    {
        using var temp = SmallRecipe("hello.txt");
        var stdout = new StringWriter();
        stdout.Dispose();
        using var stderr = new StringWriter();
        var options = new BuildOptions(temp.Combine("layerbuild.yml"), temp.Combine("small.tar"), ArchiveFormat.Docker, new Dictionary<string, string>(), [], null, Quiet: false, verbose)
        {
            NoCache = true,
        };

        var exitCode = new BuildRunner(stdout, stderr).RunAsync(options, CancellationToken.None).GetAwaiter().GetResult();
        return (exitCode, stderr.ToString());
    }
}
