using System.Text.Json;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Engine;

/// <summary>
/// Reads what the engine answers a load with: a stream of JSON objects, one a line (moby's jsonmessage).
/// <c>stream</c> carries the text <c>docker load</c> prints ("Loaded image: app:1"); <c>error</c> (with
/// <c>errorDetail.message</c>) a failure found while the archive was read, after a 200 status. A failure
/// before that is a non-2xx status with <c>{"message": ...}</c>.
/// </summary>
internal static class EngineMessages
{
    /// <summary>Engine diagnostics come from no file: the CLI prints them without a position.</summary>
    public static SourcePosition Position => new("", 0, 0);

    /// <summary>Longest line of the answer kept: the engine's lines are short; this bounds a broken one.</summary>
    private const int MaxLineLength = 1 << 20;

    /// <summary>The <c>stream</c> texts of <paramref name="answer"/>, line by line, without empty lines;
    /// an <c>error</c> object is LB5032 naming what the engine said.</summary>
    public static async Task<IReadOnlyList<string>> ReadAsync(Stream answer, DockerHost host, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        using var reader = new StreamReader(answer);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length > MaxLineLength)
            {
                throw Refused(host, "an answer line too long to be the engine's");
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var message = Parse(line, host);
            var root = message.RootElement;
            if (Text(root, "error") is { } error)
            {
                var detail = root.TryGetProperty("errorDetail", out var d) && Text(d, "message") is { } m ? m : error;
                throw Refused(host, detail);
            }

            if (Text(root, "stream") is { } text)
            {
                lines.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
        }

        return lines;
    }

    /// <summary>The message of a non-2xx answer (<c>{"message": ...}</c>), or its status when it has none.</summary>
    public static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && Text(document.RootElement, "message") is { } message)
            {
                return message;
            }
        }
        catch (JsonException)
        {
            // not the engine's JSON: the status says enough
        }

        return $"{(int)response.StatusCode} {response.ReasonPhrase}";
    }

    /// <summary>LB5032: the engine did not take the image.</summary>
    public static LayerBuildException Refused(DockerHost host, string what) =>
        new(DiagnosticCodes.EngineRefusedImage, Position, $"the docker engine at {host} did not load the image: {OneLine(what)}");

    private static JsonDocument Parse(string line, DockerHost host)
    {
        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            throw Refused(host, $"an answer that is not the engine's JSON ({OneLine(line[..Math.Min(line.Length, 200)])})");
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
