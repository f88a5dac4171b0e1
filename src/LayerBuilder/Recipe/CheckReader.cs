using LayerBuilder.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace LayerBuilder.Recipe;

/// <summary>Reads <c>checks:</c>: each item is a path check (<c>path</c> and what it must be) or a config
/// check (<c>config:</c> and the values it must hold), never both (docs/recipe.md, "Checks").</summary>
internal sealed class CheckReader(YamlNodeReader reader)
{
    private readonly RecipeChecks checks = new(reader.Diagnostics);

    public List<ImageCheck> Read(YamlNode node)
    {
        var result = new List<ImageCheck>();
        foreach (var item in reader.Sequence(node, "'checks'"))
        {
            var map = reader.Mapping(item, "a 'checks' item", RecipeKeys.Check);
            if (map is null)
            {
                continue;
            }

            ImageCheck? check = map.TryGetValue("config", out var config) ? Config(map, config, item) : Path(map, item);
            if (check is not null)
            {
                result.Add(check);
            }
        }

        return result;
    }

    private ConfigCheck? Config(IReadOnlyDictionary<string, YamlNode> map, YamlNode config, YamlNode item)
    {
        var position = reader.Position(item);
        if (map.Count > 1)
        {
            reader.Diagnostics.Error(DiagnosticCodes.InvalidCheck, position, "a 'checks' item is either a path check or 'config:', not both; split it in two");
            return null;
        }

        var values = reader.Mapping(config, "'config' of a 'checks' item", RecipeKeys.ConfigCheck);
        if (values is null)
        {
            return null;
        }

        return checks.ConfigCheck(new ConfigCheck(position)
        {
            User = values.TryGetValue("user", out var user) ? reader.Scalar(user, "'user'") : null,
            Entrypoint = Command(values, "entrypoint"),
            Cmd = Command(values, "cmd"),
            WorkingDir = values.TryGetValue("workdir", out var workdir) ? reader.Scalar(workdir, "'workdir'") : null,
            Env = Pairs(values, "env"),
            Labels = Pairs(values, "labels"),
        });
    }

    private PathCheck? Path(IReadOnlyDictionary<string, YamlNode> map, YamlNode item)
    {
        const string Where = "a 'checks' item";
        if (!map.TryGetValue("path", out var pathNode))
        {
            reader.Diagnostics.Error(DiagnosticCodes.MissingKey, reader.Position(item), $"{Where} needs 'path' (or 'config:')");
            return null;
        }

        if (reader.PositionedScalar(pathNode, "'path' of a 'checks' item") is not { } text || checks.ImagePath(text, $"'path' of {Where}") is not { } path)
        {
            return null;
        }

        string? Text(string key) => map.TryGetValue(key, out var node) ? reader.Scalar(node, $"'{key}' of {Where}", allowEmpty: key == "contains") : null;
        Positioned<string>? At(string key) => map.TryGetValue(key, out var node) && Text(key) is { } value ? new Positioned<string>(value, reader.Position(node)) : null;

        var position = reader.Position(item);
        return checks.PathCheck(new PathCheck(path, position)
        {
            Exists = map.TryGetValue("exists", out var exists) ? reader.Boolean(exists, $"'exists' of {Where}") : null,
            Mode = At("mode") is { } mode ? checks.Mode(mode, "mode") : null,
            Owner = At("owner") is { } owner ? checks.Owner(owner, "owner") : null,
            Contains = Text("contains"),
            Target = Text("target"),
        }, type: At("type"), size: At("size"), sha256: At("sha256"));
    }

    private List<string>? Command(IReadOnlyDictionary<string, YamlNode> map, string key)
    {
        if (!map.TryGetValue(key, out var node))
        {
            return null;
        }

        if (node is YamlScalarNode)
        {
            return reader.Scalar(node, $"'{key}'") is { } shell ? ["/bin/sh", "-c", shell] : null;
        }

        return reader.StringList(node, $"'{key}'")?.Select(p => p.Value).ToList();
    }

    private List<KeyValuePair<string, string>> Pairs(IReadOnlyDictionary<string, YamlNode> map, string key) =>
        map.TryGetValue(key, out var node)
            ? (reader.StringMap(node, $"'{key}'") ?? []).Select(p => new KeyValuePair<string, string>(p.Key.Value, p.Value.Value)).ToList()
            : [];
}
