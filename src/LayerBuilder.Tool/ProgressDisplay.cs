using System.Globalization;
using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Tool;

/// <summary>
/// Shows layer and registry transfer progress. On a terminal, once the build has run for a second, one
/// status line is redrawn in place: the elapsed time, then every layer and blob in flight (done of total
/// entries and bytes, percentage, rate), or what the build is doing before the first layer (planning); a
/// finished layer leaves a line of its own above it, and the status line is cleared at the end. When output
/// is redirected, one plain line per finished layer or blob. With --quiet nothing is shown.
/// </summary>
public sealed class ProgressDisplay : IProgress<LayerProgress>, IProgress<TransferProgress>, IDisposable
{
    private const long Mebibyte = 1L << 20;
    private const long Gibibyte = 1L << 30;
    private const int PercentScale = 100;

    private readonly Dictionary<Digest, (TransferProgress Progress, TimeSpan Started)> transfers = [];
    private readonly SortedDictionary<int, (LayerProgress Progress, TimeSpan Started)> active = [];
    private readonly List<string> finishedUnshown = [];

    private readonly TextWriter output;
    private readonly bool live;
    private readonly Lock gate = new();
    private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly TimeSpan firstDrawAfter;
    private readonly Timer? ticker;
    private int drawn;
    private int finished;
    private bool started;
    private bool ended;

    /// <param name="output">Where the progress goes (stderr).</param>
    /// <param name="interactive">True on a terminal: one live line redrawn in place.</param>
    /// <param name="firstDrawAfter">How long a build runs before the live line appears (default one second:
    /// a quick build shows no flicker).</param>
    /// <param name="refreshEvery">On a terminal, how often the live line is redrawn when nothing reports
    /// (the elapsed time moves while the build plans or waits); <see cref="Timeout.InfiniteTimeSpan"/> only
    /// on reports and <see cref="Refresh"/>.</param>
    public ProgressDisplay(TextWriter output, bool interactive, TimeSpan? firstDrawAfter = null, TimeSpan? refreshEvery = null)
    {
        this.output = output;
        live = interactive;
        this.firstDrawAfter = firstDrawAfter ?? DefaultFirstDrawAfter;
        var period = refreshEvery ?? DefaultRefreshEvery;
        if (live && period != Timeout.InfiniteTimeSpan)
        {
            ticker = new Timer(_ => Refresh(), null, period, period);
        }
    }

    public static TimeSpan DefaultFirstDrawAfter => TimeSpan.FromSeconds(1);

    public static TimeSpan DefaultRefreshEvery => TimeSpan.FromMilliseconds(250);

    public void Report(LayerProgress value)
    {
        lock (gate)
        {
            // Workers of a cancelled or failed build may still report after the runner ended the display
            // and printed its error: a late line would be drawn over it.
            if (ended)
            {
                return;
            }

            var began = active.TryGetValue(value.Layer, out var known) ? known.Started : clock.Elapsed;
            if (!value.Done)
            {
                active[value.Layer] = (value, began);
                DrawLive();
                return;
            }

            active.Remove(value.Layer);
            finished++;
            var line = Finished(value, clock.Elapsed - began);
            if (!live)
            {
                output.WriteLine(line);
            }
            else if (started)
            {
                Keep(line);
                DrawLive();
            }
            else
            {
                // Shown with the first live line: a build that ends within a second shows nothing.
                finishedUnshown.Add(line);
                DrawLive();
            }
        }
    }

    public void Report(TransferProgress value)
    {
        lock (gate)
        {
            if (ended)
            {
                return;
            }

            var began = transfers.TryGetValue(value.Digest, out var known) ? known.Started : clock.Elapsed;
            if (value.Done)
            {
                transfers.Remove(value.Digest);
                if (!live)
                {
                    output.WriteLine(Describe(value, clock.Elapsed - began));
                }
            }
            else
            {
                transfers[value.Digest] = (value, began);
            }

            DrawLive();
        }
    }

    /// <summary>Redraws the live line (the timer calls this, so the elapsed time moves between reports).</summary>
    public void Refresh()
    {
        lock (gate)
        {
            if (!ended)
            {
                DrawLive();
            }
        }
    }

    public void Dispose()
    {
        ticker?.Dispose();
        lock (gate)
        {
            ended = true;
            if (live && drawn > 0)
            {
                Draw("");
            }
        }
    }

    /// <summary>"[m:ss] planning ..." before any layer or blob, then what is in flight.</summary>
    private void DrawLive()
    {
        if (!live || clock.Elapsed < firstDrawAfter)
        {
            return;
        }

        if (!started)
        {
            started = true;
            foreach (var line in finishedUnshown)
            {
                Keep(line);
            }

            finishedUnshown.Clear();
        }

        var now = clock.Elapsed;
        var parts = active.Values.Select(a => Describe(a.Progress, now - a.Started))
            .Concat(transfers.Values.Select(t => Describe(t.Progress, now - t.Started)))
            .ToList();
        if (parts.Count == 0)
        {
            parts.Add(finished == 0 ? "planning: reading the recipe, the base and the files the steps take" : $"{finished} {(finished == 1 ? "layer" : "layers")} done; writing the image");
        }

        Draw($"[{Elapsed(now)}] " + string.Join("  |  ", parts));
    }

    /// <summary>Writes a line that stays, and redraws the live line under it.</summary>
    private void Keep(string line)
    {
        output.Write("\r" + line.PadRight(drawn) + Environment.NewLine);
        drawn = 0;
    }

    private void Draw(string line)
    {
        var width = Math.Max(20, SafeWidth() - 1);
        if (line.Length > width)
        {
            line = line[..width];
        }

        output.Write("\r" + line.PadRight(drawn) + "\r" + line);
        output.Flush();
        drawn = line.Length;
    }

    private static int SafeWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 120;
        }
        catch (IOException)
        {
            return 120;
        }
    }

    /// <summary>"layer 2 app: 1,200 of 5,000 entries, 45.0 of 120.0 MiB (37%), 80.0 MiB/s".</summary>
    private static string Describe(LayerProgress p, TimeSpan elapsed)
    {
        var entries = p.TotalFiles is { } files ? $"{Count(p.Files)} of {Entries(files)}" : Entries(p.Files);
        var bytes = p.TotalBytes is { } total && total > 0
            ? $"{Size(p.Bytes)} of {Size(total)} ({Percent(p.Bytes, total)})"
            : Size(p.Bytes);
        return $"layer {p.Layer + 1} {p.Description}: {entries}, {bytes}{Rate(p.Bytes, elapsed)}";
    }

    /// <summary>"layer 2 app: 5,000 entries, 120.0 MiB in 1.5 s, 80.0 MiB/s", or "layer 1 base: cached, 72.0 MiB".</summary>
    private static string Finished(LayerProgress p, TimeSpan elapsed) => p.FromCache
        ? $"layer {p.Layer + 1} {p.Description}: cached, {Size(p.Bytes)}"
        : $"layer {p.Layer + 1} {p.Description}: {Entries(p.Files)}, {Size(p.Bytes)}" +
          (elapsed >= ShortestTimed ? $" in {elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s{Rate(p.Bytes, elapsed)}" : "");

    /// <summary>A layer written faster than this gets no time and rate: "0.0 s" says nothing.</summary>
    private static readonly TimeSpan ShortestTimed = TimeSpan.FromMilliseconds(100);

    private static string Describe(TransferProgress p, TimeSpan elapsed)
    {
        var blob = p.Digest.Hex[..12];
        switch (p.Action)
        {
            // A push that sends no byte of the blob (docs/decisions.md D39).
            case "exists":
                return $"push {p.Repository} {blob}: already in the registry";
            case "mounted":
                return $"push {p.Repository} {blob}: mounted from another repository";
        }

        var total = p.Total is { } size && size > 0 && !p.Done ? $" of {Size(size)} ({Percent(p.Bytes, size)})" : "";
        var rate = p.Action != "cached" ? Rate(p.Bytes, elapsed) : "";
        return $"{p.Action} {p.Repository} {blob}: {Size(p.Bytes)}{total}{rate}";
    }

    private static string Rate(long bytes, TimeSpan elapsed) =>
        elapsed.TotalSeconds > 0 ? $", {Size((long)(bytes / elapsed.TotalSeconds))}/s" : "";

    private static string Percent(long done, long total) =>
        Math.Min(PercentScale, done * PercentScale / total).ToString(CultureInfo.InvariantCulture) + "%";

    private static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    private static string Entries(long count) => Count(count) + (count == 1 ? " entry" : " entries");

    /// <summary>MiB up to a GiB (one decimal), GiB from there (two).</summary>
    private static string Size(long bytes) => bytes >= Gibibyte
        ? (bytes / (double)Gibibyte).ToString("0.00", CultureInfo.InvariantCulture) + " GiB"
        : (bytes / (double)Mebibyte).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    private static string Elapsed(TimeSpan elapsed) => elapsed.TotalHours >= 1
        ? elapsed.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : elapsed.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
