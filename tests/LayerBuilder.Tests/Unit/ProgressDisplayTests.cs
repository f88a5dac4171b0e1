using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Push;
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
    public void Redirected_a_pushed_blob_is_one_line_with_its_size_and_rate_and_bytes_in_flight_are_not_shown()
    {
        using var log = new StringWriter();
        var display = new ProgressDisplay(log, interactive: false);
        var digest = Digest.Of("blob");

        display.Report(new BlobProgress(digest, 1 << 20, 4 << 20, BlobPushState.Uploading, TimeSpan.FromSeconds(1)));
        display.Report(new BlobProgress(digest, 4 << 20, 4 << 20, BlobPushState.Uploaded, TimeSpan.FromSeconds(2)));
        display.Report(new BlobProgress(Digest.Of("other"), 0, 10, BlobPushState.Mounted, TimeSpan.Zero));
        display.Report(new BlobProgress(Digest.Of("third"), 0, 10, BlobPushState.Existed, TimeSpan.Zero));

        Assert.That(log.ToString(), Is.EqualTo(
            $"push {digest.Hex[..12]}: 4.0 MiB sent in 2.0 s, 2.0 MiB/s\n" +
            $"push {Digest.Of("other").Hex[..12]}: mounted from another repository\n" +
            $"push {Digest.Of("third").Hex[..12]}: already in the registry\n"));
    }

    [Test]
    public void On_a_terminal_a_blob_in_flight_shows_its_bytes_and_rate()
    {
        using var terminal = new StringWriter();
        var display = new ProgressDisplay(terminal, interactive: true, firstDrawAfter: TimeSpan.Zero);
        var digest = Digest.Of("blob");

        display.Report(new BlobProgress(digest, 3 << 20, 12 << 20, BlobPushState.Uploading, TimeSpan.FromSeconds(2)));

        Assert.That(terminal.ToString(), Does.Contain($"push {digest.Hex[..12]}: 3.0 MiB of 12.0 MiB, 1.5 MiB/s"));
        display.Dispose();
    }
}
