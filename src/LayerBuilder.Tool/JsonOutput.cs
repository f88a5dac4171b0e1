using System.Text.Encodings.Web;
using System.Text.Json;

namespace LayerBuilder.Tool;

/// <summary>How the commands' <c>--json</c> output is written (docs/commands.md): indented by two spaces,
/// keys in a fixed order, UTF-8 without needless escapes, and a final newline, so the same image gives
/// the same bytes and a golden file can hold them.</summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task WriteAsync(TextWriter output, Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        buffer.WriteByte((byte)'\n');
        await output.WriteAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()).AsMemory(), cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
