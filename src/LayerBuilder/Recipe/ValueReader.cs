using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using YamlDotNet.RepresentationModel;

namespace LayerBuilder.Recipe;

/// <summary>Reads the typed values steps and defaults share: modes, owners, image paths.</summary>
internal sealed class ValueReader(YamlNodeReader reader)
{
    public int? Mode(IReadOnlyDictionary<string, YamlNode> map, string key)
    {
        if (!map.TryGetValue(key, out var node) || reader.PositionedScalar(node, $"'{key}'") is not { } text)
        {
            return null;
        }

        if (Permissions.TryParseOctal(text.Value, out var mode))
        {
            return mode;
        }

        reader.Diagnostics.Error(DiagnosticCodes.InvalidMode, text.Position,
            $"{key} '{text.Value}' is not an octal mode: write 3 or 4 octal digits in quotes, such as \"0755\" or \"0644\"");
        return null;
    }

    public OwnerSpec? Owner(IReadOnlyDictionary<string, YamlNode> map, string key)
    {
        if (!map.TryGetValue(key, out var node) || reader.PositionedScalar(node, $"'{key}'") is not { } text)
        {
            return null;
        }

        if (OwnerSpec.TryParse(text.Value, text.Position, out var owner))
        {
            return owner;
        }

        reader.Diagnostics.Error(DiagnosticCodes.InvalidOwner, text.Position,
            $"{key} '{text.Value}' is not an owner: write \"uid:gid\" such as \"1000:1000\", or names from the image such as \"app:app\"");
        return null;
    }

    public Positioned<ImagePath>? ImagePathValue(IReadOnlyDictionary<string, YamlNode> map, string key, string what, YamlNode parent)
    {
        if (!map.TryGetValue(key, out var node))
        {
            reader.Diagnostics.Error(DiagnosticCodes.MissingKey, reader.Position(parent), $"{what} needs '{key}'");
            return null;
        }

        return ImagePathValue(node, $"'{key}' of {what}");
    }

    public Positioned<ImagePath>? ImagePathValue(YamlNode node, string what)
    {
        if (reader.PositionedScalar(node, what) is not { } text)
        {
            return null;
        }

        if (ImagePath.TryParse(text.Value, out var path, out var problem))
        {
            return new Positioned<ImagePath>(path, text.Position);
        }

        var code = text.Value.StartsWith('/') ? DiagnosticCodes.PathEscapesRoot : DiagnosticCodes.InvalidImagePath;
        reader.Diagnostics.Error(code, text.Position, $"{what}: {problem}");
        return null;
    }

    /// <summary>An image path that becomes an entry of the layer, so it may not be named like a whiteout.</summary>
    public Positioned<ImagePath>? EntryPathValue(IReadOnlyDictionary<string, YamlNode> map, string key, string what, YamlNode parent) =>
        ImagePathValue(map, key, what, parent) is { } path && IsNotWhiteout(path.Value, path.Position, $"'{key}' of {what}") ? path : null;

    /// <summary>Reports a path with a component named like a whiteout; only 'remove' writes whiteouts.</summary>
    public bool IsNotWhiteout(ImagePath path, SourcePosition position, string what)
    {
        if (WhiteoutNames.FirstIn(path) is not { } name)
        {
            return true;
        }

        reader.Diagnostics.Error(DiagnosticCodes.WhiteoutPath, position,
            $"{what}: '{name}' is a whiteout name; in a layer it would delete files of the layers below instead of being a file. To delete a path, use 'remove'");
        return false;
    }

    /// <summary>A symlink target: any text (relative or absolute, it is not resolved here), but no NUL, which would cut it short in the tar.</summary>
    public Positioned<string>? SymlinkTarget(IReadOnlyDictionary<string, YamlNode> map, string what, YamlNode parent)
    {
        if (Required(map, "target", what, parent) is not { } target)
        {
            return null;
        }

        if (!target.Value.Contains('\0'))
        {
            return target;
        }

        reader.Diagnostics.Error(DiagnosticCodes.PathEscapesRoot, target.Position,
            $"'target' of {what}: a symlink target cannot contain NUL characters (the tar entry would end at the first one)");
        return null;
    }

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
