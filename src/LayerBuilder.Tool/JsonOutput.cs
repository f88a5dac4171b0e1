using System.Text.Encodings.Web;
using System.Text.Json;

namespace LayerBuilder.Tool;

/// <summary>How the commands' <c>--json</c> output is written (docs/commands.md): indented by two spaces,
/// keys in a fixed order, UTF-8 without needless escapes, and a final newline, so the same image gives
/// the same bytes and a golden file can hold them. It is written as it is made: a layer of a million
/// entries is never one string in memory.</summary>
internal static class JsonOutput
{
    /// <summary>Bytes the writer may hold before they go out.</summary>
    public const int FlushThreshold = 1 << 16;

    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task WriteAsync(TextWriter output, Func<Utf8JsonWriter, Task> write, CancellationToken cancellationToken)
    {
        var stream = new TextWriterStream(output);
        await using (stream.ConfigureAwait(false))
        {
            var writer = new Utf8JsonWriter(stream, Options);
            await using (writer.ConfigureAwait(false))
            {
                await write(writer).ConfigureAwait(false);
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await output.WriteAsync("\n".AsMemory(), cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends what the writer holds once it is more than <see cref="FlushThreshold"/>.</summary>
    public static ValueTask FlushIfFullAsync(Utf8JsonWriter writer, CancellationToken cancellationToken) =>
        writer.BytesPending > FlushThreshold ? new ValueTask(writer.FlushAsync(cancellationToken)) : ValueTask.CompletedTask;

    /// <summary>Content written in one go, for output that is small whatever the image.</summary>
    public static Task WriteAsync(TextWriter output, Action<Utf8JsonWriter> write, CancellationToken cancellationToken) =>
        WriteAsync(output, writer =>
        {
            write(writer);
            return Task.CompletedTask;
        }, cancellationToken);
}
