using System.Globalization;
using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Tool;

/// <summary>
/// Shows layer and registry transfer progress. On a terminal, one status line (every layer and blob in
/// flight: files, bytes, rate) is redrawn in place, starting only once the build has run for a second, and
/// cleared at the end. When output is redirected, one plain line per finished layer or blob. With --quiet
/// nothing is shown.
/// </summary>
public sealed class ProgressDisplay : IProgress<LayerProgress>, IProgress<TransferProgress>, IDisposable
{
    private readonly Dictionary<Digest, (TransferProgress Progress, TimeSpan Started)> transfers = [];

    private readonly TextWriter output;
    private readonly bool live;
    private readonly Lock gate = new();
    private readonly SortedDictionary<int, LayerProgress> active = [];
    private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly TimeSpan firstDrawAfter;
    private int drawn;
    private bool ended;

    /// <param name="output">Where the progress goes (stderr).</param>
    /// <param name="interactive">True on a terminal: one live line redrawn in place.</param>
    /// <param name="firstDrawAfter">How long a build runs before the live line appears (default one second:
    /// a quick build shows no flicker).</param>
    public ProgressDisplay(TextWriter output, bool interactive, TimeSpan? firstDrawAfter = null)
    {
        this.output = output;
        live = interactive;
        this.firstDrawAfter = firstDrawAfter ?? DefaultFirstDrawAfter;
    }

    public static TimeSpan DefaultFirstDrawAfter => TimeSpan.FromSeconds(1);

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

            if (!live)
            {
                if (value.Done)
                {
                    output.WriteLine(Describe(value));
                }

                return;
            }

            if (value.Done)
            {
                active.Remove(value.Layer);
            }
            else
            {
                active[value.Layer] = value;
            }

            if (clock.Elapsed >= firstDrawAfter)
            {
                Draw(string.Join("  |  ", active.Values.Select(Describe).Concat(transfers.Values.Select(t => Describe(t.Progress, clock.Elapsed - t.Started)))));
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

            var started = transfers.TryGetValue(value.Digest, out var known) ? known.Started : clock.Elapsed;
            if (value.Done)
            {
                transfers.Remove(value.Digest);
                if (!live)
                {
                    output.WriteLine(Describe(value, clock.Elapsed - started));
                }
            }
            else
            {
                transfers[value.Digest] = (value, started);
            }

            if (live && clock.Elapsed >= firstDrawAfter)
            {
                Draw(string.Join("  |  ", active.Values.Select(Describe).Concat(transfers.Values.Select(t => Describe(t.Progress, clock.Elapsed - t.Started)))));
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            ended = true;
            if (live && drawn > 0)
            {
                Draw("");
            }
        }
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

    private static string Describe(LayerProgress p) => p.FromCache
        ? $"layer {p.Layer + 1} {p.Description}: cached, {Megabytes(p.Bytes)}"
        : $"layer {p.Layer + 1} {p.Description}: {p.Files.ToString("N0", CultureInfo.InvariantCulture)} entries, {Megabytes(p.Bytes)}";

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

        var total = p.Total is { } size && !p.Done ? " of " + Megabytes(size) : "";
        var rate = elapsed.TotalSeconds > 0 && p.Action != "cached" ? $", {Megabytes((long)(p.Bytes / elapsed.TotalSeconds))}/s" : "";
        return $"{p.Action} {p.Repository} {blob}: {Megabytes(p.Bytes)}{total}{rate}";
    }

    private static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
