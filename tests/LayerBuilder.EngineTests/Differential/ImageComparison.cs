using System.Text.Json;

namespace LayerBuilder.EngineTests.Differential;

/// <summary>
/// Compares what docker build made with what LayerBuilder made from the converted recipe: every entry
/// of the merged file systems (type, mode with the special bits, owner, size, link target, content) and
/// the image configs key by key. Each difference is one line, <c>SCENARIO PATH: what</c>, as
/// docs/docker-differences.md lists the known ones.
/// </summary>
public static class ImageComparison
{
    private const string ClassicParentImage = "Image";

    public static List<string> Entries(string scenario, IReadOnlyDictionary<string, FilesystemEntry> docker, IReadOnlyDictionary<string, FilesystemEntry> layerBuilder)
    {
        var differences = new List<string>();
        foreach (var path in docker.Keys.Union(layerBuilder.Keys).Order(StringComparer.Ordinal))
        {
            if (!layerBuilder.TryGetValue(path, out var ours))
            {
                differences.Add($"{scenario} {path}: only docker has it ({docker[path].Type})");
                continue;
            }

            if (!docker.TryGetValue(path, out var theirs))
            {
                differences.Add($"{scenario} {path}: only layerbuilder has it ({ours.Type})");
                continue;
            }

            Field(differences, scenario, path, "type", theirs.Type, ours.Type);
            Field(differences, scenario, path, "mode", theirs.Mode, ours.Mode);
            Field(differences, scenario, path, "owner", theirs.Owner, ours.Owner);
            Field(differences, scenario, path, "link", theirs.Link, ours.Link);
            if (theirs.Sha256 != ours.Sha256 || theirs.Size != ours.Size)
            {
                differences.Add($"{scenario} {path}: content differs (docker {theirs.Size} bytes, layerbuilder {ours.Size} bytes)");
            }
        }

        return differences;
    }

    /// <summary>The runtime config (<c>.Config</c> of <c>docker image inspect</c>) and the platform.</summary>
    public static List<string> Configs(string scenario, JsonElement docker, JsonElement layerBuilder)
    {
        var differences = new List<string>();
        foreach (var key in new[] { "Os", "Architecture", "Variant" })
        {
            Field(differences, scenario, "image", key, Text(docker, key), Text(layerBuilder, key));
        }

        var theirs = docker.GetProperty("Config");
        var ours = layerBuilder.GetProperty("Config");
        // Image is the classic builder's pointer to the intermediate image it committed last, not part
        // of what the image does (docs/docker-differences.md, "Not compared").
        var keys = Keys(theirs).Union(Keys(ours)).Where(k => k != ClassicParentImage).Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            Field(differences, scenario, "config", key, Text(theirs, key), Text(ours, key));
        }

        return differences;
    }

    private static IEnumerable<string> Keys(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object ? element.EnumerateObject().Select(p => p.Name) : [];

    /// <summary>A value as compact JSON; a missing key, null and an empty list or map read the same, as
    /// docker itself shows them interchangeably.</summary>
    private static string Text(JsonElement element, string key)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return "none";
        }

        if ((value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0) ||
            (value.ValueKind == JsonValueKind.Object && !value.EnumerateObject().Any()) ||
            (value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0))
        {
            return "none";
        }

        return JsonSerializer.Serialize(value);
    }

    private static void Field(List<string> differences, string scenario, string path, string field, string docker, string layerBuilder)
    {
        if (docker != layerBuilder)
        {
            differences.Add($"{scenario} {path}: {field} docker={docker} layerbuilder={layerBuilder}");
        }
    }
}
