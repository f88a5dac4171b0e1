using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Base;

/// <summary>
/// A value inside a <see cref="BaseJsonFile"/>, with the path that leads to it (<c>[0].Config</c>,
/// <c>config.Env[2]</c>). An absent field and JSON null read as "not there"; a value of another type
/// than the one asked for is LB2019 naming the file, the path, what was expected and what was found.
/// Values are views of the parsed document, made when asked for: a list of millions of items costs
/// nothing until its items are read, and a path is spelled out only for a message.
/// </summary>
internal readonly struct BaseJsonValue
{
    /// <summary>The most items one list (or fields one object) may hold. Within the file size limit a list
    /// of a few million tiny items would still cost the rest of the build a gigabyte; real images hold
    /// hundreds at most (layers stop near 128, history and Env at a few hundred).</summary>
    public const int MaxItems = 65_536;

    private readonly BaseJsonFile file;
    private readonly JsonElement element; // default (Undefined) when absent
    private readonly string parent;
    private readonly string? key;
    private readonly int index;

    public BaseJsonValue(BaseJsonFile file, JsonElement element)
        : this(file, element, "", null, -1)
    {
    }

    private BaseJsonValue(BaseJsonFile file, JsonElement element, string parent, string? key, int index)
    {
        this.file = file;
        this.element = element;
        this.parent = parent;
        this.key = key;
        this.index = index;
    }

    /// <summary>Whether the value is there (absent and null are not).</summary>
    public bool Exists => element.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);

    /// <summary>The path from the document's root, as messages give it.</summary>
    private string Path => key is not null ? Child(parent, key) : index >= 0 ? $"{parent}[{index}]" : parent;

    private string Where => Path is { Length: > 0 } path ? path : "the document";

    /// <summary>The field <paramref name="name"/> of this object; absent if this value is absent.</summary>
    public BaseJsonValue this[string name] =>
        new(file, Exists && AsObject().TryGetProperty(name, out var child) ? child : default, Path, name, -1);

    /// <summary>The items of this list, read as they are enumerated; none if this value is absent.</summary>
    public IEnumerable<BaseJsonValue> Items()
    {
        if (!Exists)
        {
            return [];
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw WrongType("a list");
        }

        CheckCount(element.GetArrayLength(), "items");
        return ItemsOf(file, element, Path);
    }

    /// <summary>The fields of this object, in document order; none if this value is absent.</summary>
    public IEnumerable<(string Key, BaseJsonValue Value)> Properties()
    {
        if (!Exists)
        {
            return [];
        }

        CheckCount(AsObject().GetPropertyCount(), "fields");
        var owner = file; // a lambda cannot capture a struct's this
        var prefix = Path;
        return AsObject().EnumerateObject().Select(p => (p.Name, new BaseJsonValue(owner, p.Value, prefix, p.Name, -1)));
    }

    /// <summary>This value as a string; null if absent.</summary>
    public string? String() => !Exists ? null : element.ValueKind == JsonValueKind.String ? element.GetString() : throw WrongType("a string");

    /// <summary>This value as a string that must be there.</summary>
    public string RequiredString() => String() ?? throw file.Invalid($"{Where} is missing");

    /// <summary>This value as a whole number from <paramref name="min"/> to <paramref name="max"/>; null if absent.</summary>
    public long? WholeNumber(long min = long.MinValue, long max = long.MaxValue) =>
        !Exists ? null
        : element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var number) && number >= min && number <= max ? number
        : throw WrongType(min == long.MinValue ? "a whole number" : $"a whole number from {min} to {max}");

    /// <summary>Docker's StrSlice: a list of strings, or one string meaning a list of one; null if absent.</summary>
    public List<string>? StringList() => !Exists ? null
        : element.ValueKind == JsonValueKind.Array ? Items().Select(i => i.String() ?? "").ToList()
        : element.ValueKind == JsonValueKind.String ? [element.GetString()!]
        : throw WrongType("a string or a list of strings");

    /// <summary>A copy of this object as a node tree (for parts kept verbatim, like history); null if absent.</summary>
    public JsonObject? Object() => !Exists ? null : JsonObject.Create(AsObject().Clone());

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

    private void CheckCount(int count, string what)
    {
        if (count > MaxItems)
        {
            throw file.TooLarge($"{Where} has {count.ToString("N0", CultureInfo.InvariantCulture)} {what}, over the limit of {MaxItems.ToString("N0", CultureInfo.InvariantCulture)}");
        }
    }

    private static IEnumerable<BaseJsonValue> ItemsOf(BaseJsonFile file, JsonElement list, string path)
    {
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            yield return new BaseJsonValue(file, item, path, null, i++);
        }
    }

    private static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private JsonElement AsObject() => element.ValueKind == JsonValueKind.Object ? element : throw WrongType("an object");

    private Exception WrongType(string expected) => file.Invalid($"{Where} must be {expected}, not {Describe(element.ValueKind)}");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        _ => "null",
    };
}
