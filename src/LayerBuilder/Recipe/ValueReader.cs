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
