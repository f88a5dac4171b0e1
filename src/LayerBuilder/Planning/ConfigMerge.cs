using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Recipe;

namespace LayerBuilder.Planning;

/// <summary>How a recipe's <c>config</c> applies over the config a base image brings.</summary>
internal static class ConfigMerge
{
    private const string WindowsOs = "windows";

    /// <summary>What Docker's builder puts into the env of every Linux image whose base sets no <c>PATH</c>
    /// (scratch included), before the Dockerfile's own instructions.</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private const string PathName = "PATH";

    /// <summary>Applies a recipe's config over an inherited one, as a Dockerfile's instructions apply over FROM:
    /// a default <c>PATH</c> when the base has none (not on Windows, as Docker), env merged by name (each
    /// value's <c>${env.NAME}</c> resolved against the inherited env), entrypoint/cmd/user/workdir
    /// replaced when set (a new entrypoint clears an inherited cmd), ports, volumes and labels merged.</summary>
    public static ContainerConfig Apply(ContainerConfig inherited, ConfigSpec spec, Platform platform, DiagnosticBag diagnostics)
    {
        var env = inherited.Env.Select(e => e.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p.Length > 1 ? p[1] : "")).ToList();
        if (platform.Os != WindowsOs && !env.Exists(e => e.Key == PathName))
        {
            env.Add(new(PathName, DefaultPath));
        }

        // References read the env as inherited, never this recipe's own entries: a mapping has no order
        // a reader should need to know (docs/decisions.md D47).
        var inheritedEnv = env.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        foreach (var (name, template) in spec.Env)
        {
            var value = EnvTemplate.Resolve(template, inheritedEnv.GetValueOrDefault,
                spec.EnvPositions.GetValueOrDefault(name, SourcePosition.InCode($"env {name}")), diagnostics);
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
