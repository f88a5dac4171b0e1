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
}
