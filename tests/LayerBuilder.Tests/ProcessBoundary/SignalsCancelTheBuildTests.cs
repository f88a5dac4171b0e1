using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.ProcessBoundary;

/// <summary>
/// Ctrl+C, SIGTERM and SIGHUP sent to the real CLI in the middle of writing a large layer: the build
/// is cancelled, cleans up and exits 128 + the signal's number with LB9002. Nothing is left at -o,
/// beside it (no partial archive, no staging folder) or in the cache's temporary folder.
/// </summary>
[Category(NativeToolRerun.Category)]
public sealed class SignalsCancelTheBuildTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromMinutes(1);

    [TestCase("INT", 130)]
    [TestCase("TERM", 143)]
    [TestCase("HUP", 129)]
    public void A_signal_mid_write_cancels_cleans_up_and_exits_128_plus_the_signal(string signal, int exitCode)
    {
        using var build = new LargeBuild();
        using var child = build.Start();
        build.WaitUntilMidWrite(child);

        child.Signal(signal);
        var run = child.WaitForExit(ExitTimeout);

        build.AssertCancelledCleanly(run, exitCode);
    }

    [Test]
    public void A_signal_while_layers_are_staged_for_standard_output_cleans_up_and_says_the_stream_is_incomplete()
    {
        using var build = new LargeBuild { ToStdout = true };
        using var child = build.Start();
        build.WaitUntilMidWrite(child);

        child.Signal("INT");
        var run = child.WaitForExit(ExitTimeout);

        build.AssertCancelledCleanly(run, 130);
    }

    [Test]
    public void Later_signals_while_cleaning_up_are_ignored_and_the_one_handled_first_decides_the_exit_code()
    {
        using var build = new LargeBuild();
        using var child = build.Start();
        build.WaitUntilMidWrite(child);

        child.Signal("TERM");
        child.WaitUntilDeliveredOrEnded("TERM"); // else a busy machine may hand the INT over first (lower number)
        var laterSignalsLanded = child.TrySignal("INT") & child.TrySignal("INT");
        var run = child.WaitForExit(ExitTimeout);

        // The runtime runs each SIGTERM and SIGINT handler on a thread of its own, so of signals a
        // millisecond apart the one whose thread runs first counts (D23): 143 almost always, 130 when the
        // machine is busy. Either way one signal decides, the build cleans up once, and the others change
        // nothing. The native tool may clean up and end before the INTs are sent; then only the TERM counts.
        build.AssertCancelledCleanly(run, laterSignalsLanded && run.ExitCode == 130 ? 130 : 143);
        Assert.That(run.StdErr.Split('\n').Count(l => l.Contains("LB9002", StringComparison.Ordinal)), Is.EqualTo(1), run.Transcript);
    }
}
