using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using YamlDotNet.RepresentationModel;

namespace LayerBuilder.Recipe;

/// <summary>Reads <c>config:</c> into a <see cref="ConfigSpec"/>, checking each value's little language.</summary>
internal sealed class ConfigReader(YamlNodeReader reader)
{
    private readonly RecipeChecks checks = new(reader.Diagnostics);

    private DiagnosticBag Diagnostics => reader.Diagnostics;

    public ConfigSpec Read(YamlNode node)
    {
        var map = reader.Mapping(node, "'config'", RecipeKeys.Config);
        if (map is null)
        {
            return new ConfigSpec();
        }

        var env = Env(map);
        return new ConfigSpec
        {
            Env = env.Select(e => new KeyValuePair<string, string>(e.Key, e.Value.Value)).ToList(),
            EnvPositions = env.ToDictionary(e => e.Key, e => e.Value.Position, StringComparer.Ordinal),
            Entrypoint = Command(map, "entrypoint"),
            Cmd = Command(map, "cmd"),
            WorkingDir = map.TryGetValue("workdir", out var workdir) && reader.PositionedScalar(workdir, "'config.workdir'") is { } dir ? checks.WorkingDir(dir) : null,
            User = map.TryGetValue("user", out var user) && reader.PositionedScalar(user, "'config.user'") is { } text ? checks.User(text) : null,
            Labels = Sorted(map, "labels"),
            Annotations = Sorted(map, "annotations"),
            ExposedPorts = Ports(map),
            Volumes = Volumes(map),
            StopSignal = StopSignal(map),
            Healthcheck = Healthcheck(map),
        };
    }

    /// <summary>The env values as templates (<see cref="EnvTemplate"/>): args expanded, <c>${env.NAME}</c>
    /// kept for the merge over the base's env.</summary>
    private List<KeyValuePair<string, Positioned<string>>> Env(IReadOnlyDictionary<string, YamlNode> map)
    {
        var env = new List<KeyValuePair<string, Positioned<string>>>();
        if (!map.TryGetValue("env", out var node))
        {
            return env;
        }

        foreach (var (key, value) in reader.StringMap(node, "'config.env'", expand: false) ?? [])
        {
            if (checks.EnvName(key))
            {
                var template = reader.Expander.ExpandEnvValue(value.Value, value.Position, Diagnostics);
                env.Add(new(key.Value, new(template, value.Position)));
            }
        }

        return env;
    }

    /// <summary>A list is exec form; a string is shell form, as Docker's ENTRYPOINT/CMD.</summary>
    private List<string>? Command(IReadOnlyDictionary<string, YamlNode> map, string key)
    {
        if (!map.TryGetValue(key, out var node))
        {
            return null;
        }

        if (node is YamlScalarNode)
        {
            var shell = reader.Scalar(node, $"'config.{key}'");
            return shell is null ? null : ["/bin/sh", "-c", shell];
        }

        return reader.StringList(node, $"'config.{key}'")?.Select(p => p.Value).ToList();
    }

    private SortedDictionary<string, string> Sorted(IReadOnlyDictionary<string, YamlNode> map, string key)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (map.TryGetValue(key, out var node))
        {
            foreach (var (k, v) in reader.StringMap(node, $"'config.{key}'") ?? [])
            {
                result[k.Value] = v.Value;
            }
        }

        return result;
    }

    private List<string> Ports(IReadOnlyDictionary<string, YamlNode> map) =>
        checks.Ports(map.TryGetValue("ports", out var node) ? reader.StringList(node, "'config.ports'") ?? [] : []);

    private List<string> Volumes(IReadOnlyDictionary<string, YamlNode> map) =>
        checks.Volumes(map.TryGetValue("volumes", out var node) ? reader.StringList(node, "'config.volumes'") ?? [] : []);

    private string? StopSignal(IReadOnlyDictionary<string, YamlNode> map) =>
        map.TryGetValue("stopSignal", out var node) && reader.PositionedScalar(node, "'config.stopSignal'") is { } text ? checks.StopSignal(text) : null;

    private HealthcheckSpec? Healthcheck(IReadOnlyDictionary<string, YamlNode> map)
    {
        if (!map.TryGetValue("healthcheck", out var node) || reader.Mapping(node, "'config.healthcheck'", RecipeKeys.Healthcheck) is not { } hc)
        {
            return null;
        }

        List<string>? test = null;
        if (hc.TryGetValue("test", out var testNode))
        {
            test = testNode is YamlScalarNode
                ? reader.Scalar(testNode, "'healthcheck.test'") is { } shell ? ["CMD-SHELL", shell] : null
                : reader.StringList(testNode, "'healthcheck.test'")?.Select(p => p.Value).ToList();
            checks.HealthcheckTest(test ?? [], reader.Position(testNode));
        }
        else
        {
            Diagnostics.Error(DiagnosticCodes.MissingKey, reader.Position(node), "'healthcheck' needs 'test'");
        }

        var retries = hc.TryGetValue("retries", out var retriesNode) && reader.PositionedScalar(retriesNode, "'healthcheck.retries'") is { } r
            ? checks.Retries(r)
            : null;

        return new HealthcheckSpec(test ?? [], Duration(hc, "interval"), Duration(hc, "timeout"), Duration(hc, "startPeriod"), Duration(hc, "startInterval"), retries);
    }

    private long? Duration(IReadOnlyDictionary<string, YamlNode> map, string key) =>
        map.TryGetValue(key, out var node) && reader.PositionedScalar(node, $"'healthcheck.{key}'") is { } text ? checks.Duration(text, key) : null;
}
