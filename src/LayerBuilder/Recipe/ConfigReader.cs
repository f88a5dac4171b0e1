using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using YamlDotNet.RepresentationModel;

namespace LayerBuilder.Recipe;

/// <summary>Reads <c>config:</c> into a <see cref="ConfigSpec"/>, checking each value's little language.</summary>
internal sealed class ConfigReader(YamlNodeReader reader)
{
    private DiagnosticBag Diagnostics => reader.Diagnostics;

    public ConfigSpec Read(YamlNode node)
    {
        var map = reader.Mapping(node, "'config'", RecipeKeys.Config);
        if (map is null)
        {
            return new ConfigSpec();
        }

        var user = User(map);
        return new ConfigSpec
        {
            Env = Env(map),
            Entrypoint = Command(map, "entrypoint"),
            Cmd = Command(map, "cmd"),
            WorkingDir = WorkingDir(map),
            User = user?.Value,
            UserOwner = user is { } u && OwnerSpec.TryParse(u.Value, u.Position, out var owner) ? owner : null,
            Labels = Sorted(map, "labels"),
            Annotations = Sorted(map, "annotations"),
            ExposedPorts = Ports(map),
            Volumes = Volumes(map),
            StopSignal = StopSignal(map),
            Healthcheck = Healthcheck(map),
        };
    }

    private Positioned<string>? User(IReadOnlyDictionary<string, YamlNode> map)
    {
        if (!map.TryGetValue("user", out var node) || reader.PositionedScalar(node, "'config.user'") is not { } user)
        {
            return null;
        }

        if (!OwnerSpec.TryParse(user.Value, user.Position, out _))
        {
            Diagnostics.Error(DiagnosticCodes.InvalidUser, user.Position,
                $"user '{user.Value}' is not uid[:gid] or user[:group] names (for example \"1000:1000\" or \"app\")");
        }

        return user;
    }

    private List<KeyValuePair<string, string>> Env(IReadOnlyDictionary<string, YamlNode> map)
    {
        var env = new List<KeyValuePair<string, string>>();
        if (!map.TryGetValue("env", out var node))
        {
            return env;
        }

        foreach (var (key, value) in reader.StringMap(node, "'config.env'") ?? [])
        {
            if (key.Value.Contains('=') || key.Value.Length == 0)
            {
                Diagnostics.Error(DiagnosticCodes.WrongType, key.Position, $"environment variable name '{key.Value}' cannot contain '='");
                continue;
            }

            env.Add(new(key.Value, value.Value));
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

    private string? WorkingDir(IReadOnlyDictionary<string, YamlNode> map)
    {
        if (!map.TryGetValue("workdir", out var node) || reader.PositionedScalar(node, "'config.workdir'") is not { } text)
        {
            return null;
        }

        if (!text.Value.StartsWith('/'))
        {
            Diagnostics.Error(DiagnosticCodes.InvalidImagePath, text.Position, $"workdir '{text.Value}' must be an absolute path such as /app");
        }
        else if (!ImagePath.TryParse(text.Value, out _, out var problem))
        {
            Diagnostics.Error(DiagnosticCodes.PathEscapesRoot, text.Position, $"workdir: {problem}");
        }

        // Kept as written (a valid one is not normalized): the config's bytes stay what they always were.
        return text.Value;
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

    private List<string> Ports(IReadOnlyDictionary<string, YamlNode> map)
    {
        var ports = new SortedSet<string>(StringComparer.Ordinal);
        if (map.TryGetValue("ports", out var node))
        {
            foreach (var port in reader.StringList(node, "'config.ports'") ?? [])
            {
                if (ValueParsers.TryParsePort(port.Value, out var normalized))
                {
                    ports.Add(normalized);
                }
                else
                {
                    Diagnostics.Error(DiagnosticCodes.InvalidPort, port.Position,
                        $"port '{port.Value}' is not PORT[/tcp|udp|sctp] with PORT 1-65535 (for example \"8080/tcp\")");
                }
            }
        }

        return ports.ToList();
    }

    private List<string> Volumes(IReadOnlyDictionary<string, YamlNode> map)
    {
        var volumes = new SortedSet<string>(StringComparer.Ordinal);
        if (map.TryGetValue("volumes", out var node))
        {
            foreach (var volume in reader.StringList(node, "'config.volumes'") ?? [])
            {
                if (!volume.Value.StartsWith('/'))
                {
                    Diagnostics.Error(DiagnosticCodes.InvalidImagePath, volume.Position, $"volume '{volume.Value}' must be an absolute path such as /data");
                }
                else if (!ImagePath.TryParse(volume.Value, out _, out var problem))
                {
                    Diagnostics.Error(DiagnosticCodes.PathEscapesRoot, volume.Position, $"volume: {problem}");
                }
                else
                {
                    volumes.Add(volume.Value);
                }
            }
        }

        return volumes.ToList();
    }

    private string? StopSignal(IReadOnlyDictionary<string, YamlNode> map)
    {
        if (!map.TryGetValue("stopSignal", out var node) || reader.PositionedScalar(node, "'config.stopSignal'") is not { } text)
        {
            return null;
        }

        if (!ValueParsers.IsSignal(text.Value))
        {
            Diagnostics.Error(DiagnosticCodes.InvalidSignal, text.Position,
                $"stopSignal '{text.Value}' is not a signal: use a name such as SIGTERM or SIGQUIT, or a number 1-64");
        }

        return text.Value;
    }

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
            if (test is { Count: > 0 } && test[0] is not ("CMD" or "CMD-SHELL" or "NONE"))
            {
                Diagnostics.Error(DiagnosticCodes.WrongType, reader.Position(testNode),
                    $"healthcheck test must start with CMD, CMD-SHELL or NONE (or be a string for the shell form), not '{test[0]}'");
            }
        }
        else
        {
            Diagnostics.Error(DiagnosticCodes.MissingKey, reader.Position(node), "'healthcheck' needs 'test'");
        }

        int? retries = null;
        if (hc.TryGetValue("retries", out var retriesNode) && reader.PositionedScalar(retriesNode, "'healthcheck.retries'") is { } r)
        {
            if (int.TryParse(r.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                retries = n;
            }
            else
            {
                Diagnostics.Error(DiagnosticCodes.WrongType, r.Position, $"healthcheck retries '{r.Value}' must be a whole number");
            }
        }

        return new HealthcheckSpec(test ?? [], Duration(hc, "interval"), Duration(hc, "timeout"), Duration(hc, "startPeriod"), Duration(hc, "startInterval"), retries);
    }

    private long? Duration(IReadOnlyDictionary<string, YamlNode> map, string key)
    {
        if (!map.TryGetValue(key, out var node) || reader.PositionedScalar(node, $"'healthcheck.{key}'") is not { } text)
        {
            return null;
        }

        if (ValueParsers.TryParseDuration(text.Value, out var ns))
        {
            return ns;
        }

        Diagnostics.Error(DiagnosticCodes.InvalidDuration, text.Position,
            $"healthcheck {key} '{text.Value}' is not a duration such as 30s, 1m30s or 500ms");
        return null;
    }
}
