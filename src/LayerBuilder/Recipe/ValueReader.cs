using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using YamlDotNet.RepresentationModel;

namespace LayerBuilder.Recipe;

/// <summary>Reads the typed values steps and defaults share (modes, owners, image paths) out of YAML;
/// <see cref="RecipeChecks"/> checks them, as it does for a recipe built in code.</summary>
internal sealed class ValueReader(YamlNodeReader reader)
{
    public RecipeChecks Checks { get; } = new(reader.Diagnostics);

    public int? Mode(IReadOnlyDictionary<string, YamlNode> map, string key) =>
        map.TryGetValue(key, out var node) && reader.PositionedScalar(node, $"'{key}'") is { } text ? Checks.Mode(text, key) : null;

    public OwnerSpec? Owner(IReadOnlyDictionary<string, YamlNode> map, string key) =>
        map.TryGetValue(key, out var node) && reader.PositionedScalar(node, $"'{key}'") is { } text ? Checks.Owner(text, key) : null;

    /// <summary>An entry's <c>mtime</c>, when it has one.</summary>
    public DateTimeOffset? EntryTime(IReadOnlyDictionary<string, YamlNode> map) =>
        map.TryGetValue("mtime", out var node) && reader.PositionedScalar(node, "'mtime'") is { } text ? Checks.EntryTime(text) : null;

    /// <summary>An entry's <c>xattrs</c> mapping (name to text, or <c>base64:…</c> for bytes), when it has one.</summary>
    public IReadOnlyDictionary<string, byte[]>? Xattrs(IReadOnlyDictionary<string, YamlNode> map)
    {
        if (!map.TryGetValue("xattrs", out var node) || reader.StringMap(node, "'xattrs'", expand: false) is not { } pairs)
        {
            return null;
        }

        var values = new List<(Positioned<string>, byte[])>();
        foreach (var (name, value) in pairs)
        {
            if (Checks.XattrValue(value) is { } bytes)
            {
                values.Add((name, bytes));
            }
        }

        return Checks.Xattrs(values);
    }

    public Positioned<ImagePath>? ImagePathValue(IReadOnlyDictionary<string, YamlNode> map, string key, string what, YamlNode parent) =>
        Required(map, key, what, parent) is { } text ? Checks.ImagePath(text, $"'{key}' of {what}") : null;

    public Positioned<ImagePath>? ImagePathValue(YamlNode node, string what) =>
        reader.PositionedScalar(node, what) is { } text ? Checks.ImagePath(text, what) : null;

    /// <summary>An image path that becomes an entry of the layer, so it may not be named like a whiteout.</summary>
    public Positioned<ImagePath>? EntryPathValue(IReadOnlyDictionary<string, YamlNode> map, string key, string what, YamlNode parent) =>
        Required(map, key, what, parent) is { } text ? Checks.EntryPath(text, $"'{key}' of {what}") : null;

    public Positioned<string>? SymlinkTarget(IReadOnlyDictionary<string, YamlNode> map, string what, YamlNode parent) =>
        Required(map, "target", what, parent) is { } target ? Checks.SymlinkTarget(target, what) : null;

    public Positioned<string>? HardlinkTarget(IReadOnlyDictionary<string, YamlNode> map, string what, YamlNode parent) =>
        Required(map, "target", what, parent) is { } target ? Checks.HardlinkTarget(target, what) : null;

    public Positioned<string>? Required(IReadOnlyDictionary<string, YamlNode> map, string key, string what, YamlNode parent)
    {
        if (map.TryGetValue(key, out var node))
        {
            return reader.PositionedScalar(node, $"'{key}' of {what}");
        }

        reader.Diagnostics.Error(DiagnosticCodes.MissingKey, reader.Position(parent), $"{what} needs '{key}'");
        return null;
    }
}
