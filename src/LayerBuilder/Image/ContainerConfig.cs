using LayerBuilder.Recipe;

namespace LayerBuilder.Image;

/// <summary>The runtime part of an image config (image-spec config.md "config"; Docker's container.Config
/// field names). Null means "not set"; such fields are left out of the JSON.</summary>
public sealed record ContainerConfig
{
    public string? User { get; init; }

    public IReadOnlyList<string> ExposedPorts { get; init; } = [];

    public IReadOnlyList<string> Env { get; init; } = [];

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string> Volumes { get; init; } = [];

    public string? WorkingDir { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public string? StopSignal { get; init; }

    public HealthcheckSpec? Healthcheck { get; init; }

    /// <summary>Applies a recipe's config over this one, as a Dockerfile's instructions apply over FROM:
    /// env merged by name, entrypoint/cmd/user/workdir replaced when set (a new entrypoint clears an
    /// inherited cmd), ports, volumes and labels merged.</summary>
    public ContainerConfig With(ConfigSpec spec)
    {
        var env = Env.Select(e => e.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p.Length > 1 ? p[1] : "")).ToList();
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

        var labels = new SortedDictionary<string, string>(Labels.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in spec.Labels)
        {
            labels[key] = value;
        }

        return this with
        {
            User = spec.User?.ToString() ?? User,
            ExposedPorts = ExposedPorts.Union(spec.ExposedPorts).Order(StringComparer.Ordinal).ToList(),
            Env = env.Select(e => $"{e.Key}={e.Value}").ToList(),
            Entrypoint = spec.Entrypoint ?? Entrypoint,
            Cmd = spec.Cmd ?? (spec.Entrypoint is not null ? null : Cmd),
            Volumes = Volumes.Union(spec.Volumes).Order(StringComparer.Ordinal).ToList(),
            WorkingDir = spec.WorkingDir ?? WorkingDir,
            Labels = labels,
            StopSignal = spec.StopSignal ?? StopSignal,
            Healthcheck = spec.Healthcheck ?? Healthcheck,
        };
    }
}
