using System.Text.Json;
using System.Text.Json.Nodes;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Base;

/// <summary>
/// A value inside a <see cref="BaseJsonFile"/>, with the path that leads to it (<c>[0].Config</c>,
/// <c>config.Env[2]</c>). An absent field and JSON null read as "not there"; a value of another type
/// than the one asked for is LB2019 naming the file, the path, what was expected and what was found.
/// </summary>
internal readonly struct BaseJsonValue(BaseJsonFile file, JsonNode? node, string path)
{
    /// <summary>Whether the value is there (absent and null are not).</summary>
    public bool Exists => node is not null;

    private string Where => path.Length == 0 ? "the document" : path;

    /// <summary>The field <paramref name="key"/> of this object; absent if this value is absent.</summary>
    public BaseJsonValue this[string key] =>
        new(file, node is null ? null : AsObject()[key], path.Length == 0 ? key : $"{path}.{key}");

    /// <summary>The items of this list; none if this value is absent.</summary>
    public IReadOnlyList<BaseJsonValue> Items()
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray array)
        {
            throw WrongType("a list");
        }

        var items = new BaseJsonValue[array.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new BaseJsonValue(file, array[i], $"{path}[{i}]");
        }

        return items;
    }

    /// <summary>The fields of this object, in document order; none if this value is absent.</summary>
    public IEnumerable<(string Key, BaseJsonValue Value)> Properties()
    {
        // Locals, not the struct's own fields: a lambda cannot capture a struct's this.
        var owner = file;
        var prefix = path;
        return node is null ? [] : AsObject().Select(p => (p.Key, new BaseJsonValue(owner, p.Value, $"{prefix}.{p.Key}")));
    }

    /// <summary>This value as a string; null if absent.</summary>
    public string? String() => node is null ? null : KindOf(node) == JsonValueKind.String ? node.GetValue<string>() : throw WrongType("a string");

    /// <summary>This value as a string that must be there.</summary>
    public string RequiredString() => String() ?? throw file.Invalid($"{Where} is missing");

    /// <summary>This value as a whole number from <paramref name="min"/> to <paramref name="max"/>; null if absent.</summary>
    public long? WholeNumber(long min = long.MinValue, long max = long.MaxValue) =>
        node is null ? null
        : node is JsonValue value && value.TryGetValue<long>(out var number) && number >= min && number <= max ? number
        : throw WrongType(min == long.MinValue ? "a whole number" : $"a whole number from {min} to {max}");

    /// <summary>Docker's StrSlice: a list of strings, or one string meaning a list of one; null if absent.</summary>
    public List<string>? StringList() => node switch
    {
        null => null,
        JsonArray => Items().Select(i => i.String() ?? "").ToList(),
        _ when KindOf(node) == JsonValueKind.String => [node.GetValue<string>()],
        _ => throw WrongType("a string or a list of strings"),
    };

    /// <summary>This object as it is (for parts kept verbatim, like history); null if absent.</summary>
    public JsonObject? Object() => node is null ? null : AsObject();

    /// <summary>A string naming another member of the base: it must be a relative path that stays inside.</summary>
    public string MemberName()
    {
        var name = RequiredString();
        if (name.Length == 0 || name.StartsWith('/') || name.Split('/').Contains("..") || !ImagePath.TryNormalize("/" + name, out _))
        {
            throw Invalid($"'{name}' is not a path inside the archive");
        }

        return name;
    }

    /// <summary>LB2019 naming this file and this value's path, followed by <paramref name="problem"/>.</summary>
    public Exception Invalid(string problem) => file.Invalid($"{Where} {problem}");

    private static JsonValueKind KindOf(JsonNode node) => node.GetValueKind();

    private JsonObject AsObject() => node as JsonObject ?? throw WrongType("an object");

    private Exception WrongType(string expected) => file.Invalid($"{Where} must be {expected}, not {Describe(node)}");

    private static string Describe(JsonNode? node) => node is null ? "null" : KindOf(node) switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        _ => "null",
    };
}
