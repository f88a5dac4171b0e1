using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Tool;

namespace LayerBuilder.Tests.Unit;

/// <summary>The live progress line on a terminal: drawn while layers are written (elapsed time, done of
/// total, percentage, rate), "planning" before the first layer, a kept line per finished layer, cleared at
/// the end and never drawn again afterwards, when a cancelled build's workers still report while the runner
/// prints LB9002. Redirected: one line per finished layer or blob, nothing else.</summary>
public sealed class ProgressDisplayTests
{
    [Test]
    public void The_live_line_is_cleared_at_the_end_and_a_late_report_draws_nothing()
    {
        using var terminal = new StringWriter();
        var display = new ProgressDisplay(terminal, interactive: true, firstDrawAfter: TimeSpan.Zero, refreshEvery: Timeout.InfiniteTimeSpan);

        display.Report(new LayerProgress(0, "step 1", 10, 1 << 20, Done: false, FromCache: false));
        Assert.That(terminal.ToString(), Does.Contain("layer 1 step 1: 10 entries, 1.0 MiB"));

        display.Dispose();
        var cleared = terminal.ToString();
        Assert.That(cleared, Does.EndWith("\r"), "the line is blanked and the cursor is back at its start");

        display.Report(new LayerProgress(1, "step 2", 5, 1 << 20, Done: false, FromCache: false));
        Assert.That(terminal.ToString(), Is.EqualTo(cleared), "a report after the end draws nothing");
    }

    [Test]
    public void Redirected_a_push_prints_one_line_per_blob_sent_found_or_mounted_and_nothing_for_bytes_in_flight()
    {
        using var log = new StringWriter();
        var display = new ProgressDisplay(log, interactive: false);
        var sent = Digest.Of("blob");
        var found = Digest.Of("found");
        var mounted = Digest.Of("mounted");

        display.Report(new TransferProgress("push", "127.0.0.1:5000/team/app", sent, 1 << 20, 4 << 20, Done: false));
        display.Report(new TransferProgress("push", "127.0.0.1:5000/team/app", sent, 4 << 20, 4 << 20, Done: true));
        display.Report(new TransferProgress("exists", "127.0.0.1:5000/team/app", found, 0, 10, Done: true));
        display.Report(new TransferProgress("mounted", "127.0.0.1:5000/team/app", mounted, 0, 10, Done: true));

        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3), log.ToString());
        Assert.That(lines[0], Does.StartWith($"push 127.0.0.1:5000/team/app {sent.Hex[..12]}: 4.0 MiB"));
        Assert.That(lines[1], Is.EqualTo($"push 127.0.0.1:5000/team/app {found.Hex[..12]}: already in the registry"));
        Assert.That(lines[2], Is.EqualTo($"push 127.0.0.1:5000/team/app {mounted.Hex[..12]}: mounted from another repository"));
    }

    [Test]
    public void On_a_terminal_the_live_line_has_the_elapsed_time_totals_percentage_and_rate()
    {
        using var terminal = new StringWriter();
        using var display = Terminal(terminal);

        display.Report(Writing(files: 25, bytes: 1 << 20));
        Thread.Sleep(20);
        display.Report(Writing(files: 50, bytes: 2 << 20));

        var line = LiveLine(terminal);
        Assert.That(line, Does.Match(@"^\[0:0\d\] layer 2 app: 50 of 100 entries, 2\.0 MiB of 4\.0 MiB \(50%\), [0-9.]+ MiB/s$"), line);
    }

    [Test]
    public void Sizes_from_a_gibibyte_on_are_in_GiB()
    {
        using var terminal = new StringWriter();
        using var display = Terminal(terminal);

        display.Report(new LayerProgress(0, "data", 1, 3L << 30, Done: false, FromCache: false) { TotalFiles = 2, TotalBytes = 6L << 30 });

        Assert.That(LiveLine(terminal), Does.Contain("1 of 2 entries, 3.00 GiB of 6.00 GiB (50%)"));
    }

    [Test]
    public void On_a_terminal_a_finished_layer_keeps_a_line_above_the_live_one()
    {
        using var terminal = new StringWriter();
        using var display = Terminal(terminal);

        display.Report(Writing(files: 50, bytes: 2 << 20));
        display.Report(new LayerProgress(1, "app", 100, 4 << 20, Done: true, FromCache: false) { TotalFiles = 100, TotalBytes = 4 << 20 });
        display.Report(new LayerProgress(0, "base", 0, 5 << 20, Done: true, FromCache: true) { TotalBytes = 5 << 20 });

        var kept = KeptLines(terminal);
        Assert.That(kept, Has.Length.EqualTo(2), terminal.ToString());
        Assert.That(kept[0], Does.StartWith("layer 2 app: 100 entries, 4.0 MiB"));
        Assert.That(kept[1], Is.EqualTo("layer 1 base: cached, 5.0 MiB"));
        Assert.That(LiveLine(terminal), Does.Match(@"^\[0:0\d\] 2 layers done; writing the image$"));
    }

    [Test]
    public void Before_the_first_layer_the_live_line_says_the_build_is_planning_and_the_timer_keeps_it_moving()
    {
        using var terminal = new StringWriter();
        using var display = new ProgressDisplay(TextWriter.Synchronized(terminal), interactive: true, firstDrawAfter: TimeSpan.Zero, refreshEvery: TimeSpan.FromMilliseconds(10));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!terminal.ToString().Contains("planning", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        Assert.That(LiveLine(terminal), Does.Match(@"^\[0:\d\d\] planning: "), "drawn by the timer, with nothing reported");
    }

    [Test]
    public void A_build_that_ends_within_the_first_second_shows_nothing_and_a_longer_one_shows_the_layers_finished_so_far()
    {
        using var terminal = new StringWriter();
        using var display = new ProgressDisplay(terminal, interactive: true, firstDrawAfter: TimeSpan.FromMilliseconds(200), refreshEvery: Timeout.InfiniteTimeSpan);

        display.Report(new LayerProgress(0, "base", 0, 5 << 20, Done: true, FromCache: true));
        Assert.That(terminal.ToString(), Is.Empty, "nothing before the first draw");

        Thread.Sleep(250);
        display.Refresh();

        Assert.That(KeptLines(terminal), Is.EqualTo(new[] { "layer 1 base: cached, 5.0 MiB" }));
    }

    [Test]
    public void Redirected_one_line_per_finished_layer_and_no_live_line_or_planning()
    {
        using var log = new StringWriter();
        using var display = new ProgressDisplay(log, interactive: false, firstDrawAfter: TimeSpan.Zero);

        display.Refresh();
        display.Report(Writing(files: 50, bytes: 2 << 20));
        display.Report(new LayerProgress(1, "app", 100, 4 << 20, Done: true, FromCache: false) { TotalFiles = 100, TotalBytes = 4 << 20 });

        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), log.ToString());
        Assert.That(lines[0], Does.StartWith("layer 2 app: 100 entries, 4.0 MiB").And.Not.Contain("\r"));
    }

    private static ProgressDisplay Terminal(TextWriter terminal) =>
        new(terminal, interactive: true, firstDrawAfter: TimeSpan.Zero, refreshEvery: Timeout.InfiniteTimeSpan);

    private static LayerProgress Writing(long files, long bytes) =>
        new(1, "app", files, bytes, Done: false, FromCache: false) { TotalFiles = 100, TotalBytes = 4 << 20 };

    /// <summary>What the terminal shows on its last line: the text after the last carriage return.</summary>
    private static string LiveLine(StringWriter terminal)
    {
        var text = terminal.ToString();
        return text[(text.LastIndexOf('\r') + 1)..];
    }

    /// <summary>The lines that stay on the terminal: each ends with a line break, after the last carriage return before it.</summary>
    private static string[] KeptLines(StringWriter terminal) =>
        terminal.ToString().Split(Environment.NewLine).SkipLast(1).Select(l => l[(l.LastIndexOf('\r') + 1)..].TrimEnd()).ToArray();
}
