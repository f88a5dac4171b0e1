using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Tool;

namespace LayerBuilder.Tests.Unit;

/// <summary>The live progress line on a terminal: drawn while layers are written, cleared at the end,
/// and never drawn again afterwards, when a cancelled build's workers still report while the runner
/// prints LB9002.</summary>
public sealed class ProgressDisplayTests
{
    [Test]
    public void The_live_line_is_cleared_at_the_end_and_a_late_report_draws_nothing()
    {
        using var terminal = new StringWriter();
        var display = new ProgressDisplay(terminal, interactive: true, firstDrawAfter: TimeSpan.Zero);

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
}
