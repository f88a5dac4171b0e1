using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LayerBuilder.Text;

/// <summary>
/// The one way LayerBuilder turns JSON into bytes: compact, keys in the order they were added, UTF-8
/// without needless escapes. Digests are taken over these exact bytes, so nothing here may vary.
/// </summary>
internal static class CanonicalJson
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] ToBytes(JsonNode node, bool trailingNewline = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            node.WriteTo(writer);
        }

        if (trailingNewline)
        {
            buffer.Write("\n"u8);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static JsonArray Array(IEnumerable<string> items) => new(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());

    /// <summary>A JSON object with keys in ordinal order.</summary>
    public static JsonObject SortedObject(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var result = new JsonObject();
        foreach (var (key, value) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            result[key] = value;
        }

        return result;
    }

    /// <summary>Docker's set-like maps (ExposedPorts, Volumes): every key maps to an empty object.</summary>
    public static JsonObject EmptyObjects(IEnumerable<string> keys)
    {
        var result = new JsonObject();
        foreach (var key in keys.Order(StringComparer.Ordinal))
        {
            result[key] = new JsonObject();
        }

        return result;
    }

    public static string Timestamp(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        return fraction == 0 ? text + "Z" : text + "." + fraction.ToString("D7", System.Globalization.CultureInfo.InvariantCulture).TrimEnd('0') + "Z";
    }
}
