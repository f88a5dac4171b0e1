using System.Globalization;
using System.Text;

namespace LayerBuilder.Conversion;

/// <summary>
/// Writes a <see cref="RecipeDraft"/> as <c>layerbuild.yml</c>. Every string is double-quoted, so YAML
/// never reads it as anything but text (docs/recipe.md, "Values are text"), with YAML's escapes for
/// quotes, backslashes and control characters.
/// </summary>
internal static class RecipeYamlWriter
{
    public static string Write(RecipeDraft draft, string dockerfile)
    {
        var yaml = new StringBuilder();
        yaml.Append("# Converted from ").Append(dockerfile).Append(" by `dotnet layerbuild convert` (docs/recipe.md).\n");
        yaml.Append("image: ").Append(Quote(draft.Image)).Append('\n');
        if (draft.Platform is { } platform)
        {
            yaml.Append("platform: ").Append(Quote(platform)).Append('\n');
        }

        if (draft.BaseArchive is { } archive)
        {
            yaml.Append("base: { image: ").Append(Quote(archive));
            if (draft.BaseReference is { } reference)
            {
                yaml.Append(", ref: ").Append(Quote(reference));
            }

            yaml.Append(" }\n");
        }
        else if (draft.BaseReference is { } reference)
        {
            yaml.Append("base: ").Append(Quote(reference)).Append('\n');
        }

        Map(yaml, "args", draft.Args, "");
        var config = new StringBuilder();
        Map(config, "env", draft.Env, "  ");
        Value(config, "entrypoint", draft.Entrypoint, "  ");
        Value(config, "cmd", draft.Cmd, "  ");
        Value(config, "workdir", draft.Workdir, "  ");
        Value(config, "user", draft.User, "  ");
        Map(config, "labels", draft.Labels, "  ");
        Value(config, "ports", draft.Ports.Count > 0 ? draft.Ports : null, "  ");
        Value(config, "volumes", draft.Volumes.Count > 0 ? draft.Volumes : null, "  ");
        Value(config, "stopSignal", draft.StopSignal, "  ");
        if (draft.Healthcheck is { } healthcheck)
        {
            config.Append("  healthcheck: ").Append(Inline(healthcheck)).Append('\n');
        }

        if (config.Length > 0)
        {
            yaml.Append("config:\n").Append(config);
        }

        if (draft.Steps.Count > 0)
        {
            yaml.Append("steps:\n");
            foreach (var step in draft.Steps)
            {
                yaml.Append("  - name: ").Append(Quote(step.Name)).Append('\n');
                Items(yaml, "copy", step.Copy);
                Items(yaml, "extract", step.Extract);
                if (step.Remove.Count > 0)
                {
                    yaml.Append("    remove: ").Append(List(step.Remove)).Append('\n');
                }
            }
        }

        return yaml.ToString();
    }

    /// <summary>A YAML double-quoted scalar holding exactly <paramref name="text"/>.</summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                '\n' => quoted.Append("\\n"),
                '\t' => quoted.Append("\\t"),
                _ when char.IsControl(c) => quoted.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }

    private static void Map(StringBuilder yaml, string key, List<KeyValuePair<string, string>> map, string indent)
    {
        if (map.Count == 0)
        {
            return;
        }

        yaml.Append(indent).Append(key).Append(":\n");
        foreach (var (name, value) in map)
        {
            yaml.Append(indent).Append("  ").Append(Quote(name)).Append(": ").Append(Quote(value)).Append('\n');
        }
    }

    private static void Value(StringBuilder yaml, string key, object? value, string indent)
    {
        if (value is not null)
        {
            yaml.Append(indent).Append(key).Append(": ").Append(Scalar(value)).Append('\n');
        }
    }

    private static void Items(StringBuilder yaml, string key, List<List<KeyValuePair<string, object>>> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        yaml.Append("    ").Append(key).Append(":\n");
        foreach (var item in items)
        {
            yaml.Append("      - ").Append(Inline(item)).Append('\n');
        }
    }

    private static string Inline(List<KeyValuePair<string, object>> item) =>
        "{ " + string.Join(", ", item.Select(p => $"{p.Key}: {Scalar(p.Value)}")) + " }";

    private static string Scalar(object value) => value switch
    {
        string text => Quote(text),
        bool flag => flag ? "true" : "false",
        IEnumerable<string> list => List(list),
        _ => throw new ArgumentException($"no YAML form for {value.GetType().Name}", nameof(value)),
    };

    private static string List(IEnumerable<string> list) => "[" + string.Join(", ", list.Select(Quote)) + "]";
}
