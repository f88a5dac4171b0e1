using LayerBuilder.Image;
using LayerBuilder.Recipe;

namespace LayerBuilder.Planning;

/// <summary>How a recipe's <c>config</c> applies over the config a base image brings.</summary>
internal static class ConfigMerge
{
    /// <summary>Applies a recipe's config over an inherited one, as a Dockerfile's instructions apply over FROM:
    /// env merged by name, entrypoint/cmd/user/workdir replaced when set (a new entrypoint clears an
    /// inherited cmd), ports, volumes and labels merged.</summary>
    public static ContainerConfig Apply(ContainerConfig inherited, ConfigSpec spec)
    {
        var env = inherited.Env.Select(e => e.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p.Length > 1 ? p[1] : "")).ToList();
        foreach (var (name, value) in spec.Env)
        {
            var at = env.FindIndex(e => e.Key == name);
            if (at >= 0)
            {
                env[at] = new(name, value);
            }
            else
            {
                env.Add(new(name, value));
            }
        }

        var labels = new SortedDictionary<string, string>(inherited.Labels.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in spec.Labels)
        {
            labels[key] = value;
        }

        return inherited with
        {
            User = spec.User?.ToString() ?? inherited.User,
            ExposedPorts = inherited.ExposedPorts.Union(spec.ExposedPorts).Order(StringComparer.Ordinal).ToList(),
            Env = env.Select(e => $"{e.Key}={e.Value}").ToList(),
            Entrypoint = spec.Entrypoint ?? inherited.Entrypoint,
            Cmd = spec.Cmd ?? (spec.Entrypoint is not null ? null : inherited.Cmd),
            Volumes = inherited.Volumes.Union(spec.Volumes).Order(StringComparer.Ordinal).ToList(),
            WorkingDir = spec.WorkingDir ?? inherited.WorkingDir,
            Labels = labels,
            StopSignal = spec.StopSignal ?? inherited.StopSignal,
            Healthcheck = spec.Healthcheck ?? inherited.Healthcheck,
        };
    }
}
