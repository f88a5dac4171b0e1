using System.Globalization;
using LayerBuilder.Layers;
using LayerBuilder.Push;

namespace LayerBuilder.Tool;

/// <summary>
/// Shows layer and push progress. On a terminal, one status line (every layer in flight: files, bytes;
/// every blob being pushed: bytes, rate) is redrawn in place, starting only once the build has run for a
/// second, and cleared at the end. When output is redirected, one plain line per finished layer and per
/// pushed blob. With --quiet nothing is shown.
/// </summary>
public sealed class ProgressDisplay : IProgress<LayerProgress>, IProgress<BlobProgress>, IDisposable
{
    private readonly TextWriter output;
    private readonly bool live;
    private readonly Lock gate = new();
    private readonly SortedDictionary<int, LayerProgress> active = [];
    private readonly SortedDictionary<string, BlobProgress> uploads = new(StringComparer.Ordinal);
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

            DrawActive();
        }
    }

    public void Report(BlobProgress value)
    {
        lock (gate)
        {
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
                uploads.Remove(value.Digest.ToString());
            }
            else
            {
                uploads[value.Digest.ToString()] = value;
            }

            DrawActive();
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

    private void DrawActive()
    {
        if (clock.Elapsed >= firstDrawAfter)
        {
            Draw(string.Join("  |  ", active.Values.Select(Describe).Concat(uploads.Values.Select(Describe))));
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

    private static string Describe(BlobProgress p) => p.State switch
    {
        BlobPushState.Existed => $"push {Short(p)}: already in the registry",
        BlobPushState.Mounted => $"push {Short(p)}: mounted from another repository",
        BlobPushState.Uploaded => $"push {Short(p)}: {Megabytes(p.Size)} sent in {p.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s, {Rate(p)}",
        _ => $"push {Short(p)}: {Megabytes(p.Bytes)} of {Megabytes(p.Size)}, {Rate(p)}",
    };

    /// <summary>The first 12 hex digits, as docker shows layer ids.</summary>
    private static string Short(BlobProgress p) => p.Digest.Hex[..ShortDigestLength];

    private static string Rate(BlobProgress p) => p.Elapsed > TimeSpan.Zero
        ? (p.Bytes / 1048576.0 / p.Elapsed.TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture) + " MiB/s"
        : "starting";

    private const int ShortDigestLength = 12;

    private static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
