namespace LayerBuilder.Recipe;

/// <summary>
/// A recipe file's <c>config</c> over the config of the recipe it is laid over (docs/msbuild.md): the
/// same rules as a recipe's config over a base image's (docs/recipe.md, "What an image base gives"), so
/// one mental model serves both. <c>env</c>, <c>labels</c> and <c>annotations</c> merge by name,
/// <c>ports</c> and <c>volumes</c> add up, the other keys are replaced when set, and setting
/// <c>entrypoint</c> clears a lower <c>cmd</c>.
/// </summary>
internal static class ConfigLayering
{
    public static ConfigSpec Over(ConfigSpec upper, ConfigSpec lower)
    {
        var env = new List<KeyValuePair<string, string>>(lower.Env.Where(e => upper.Env.All(u => u.Key != e.Key)));
        env.AddRange(upper.Env);
        return new ConfigSpec
        {
            Env = env,
            Entrypoint = upper.Entrypoint ?? lower.Entrypoint,
            Cmd = upper.Cmd ?? (upper.Entrypoint is null ? lower.Cmd : null),
            WorkingDir = upper.WorkingDir ?? lower.WorkingDir,
            User = upper.User ?? lower.User,
            Labels = Merged(lower.Labels, upper.Labels),
            Annotations = Merged(lower.Annotations, upper.Annotations),
            ExposedPorts = lower.ExposedPorts.Concat(upper.ExposedPorts).Distinct(StringComparer.Ordinal).ToList(),
            Volumes = lower.Volumes.Concat(upper.Volumes).Distinct(StringComparer.Ordinal).ToList(),
            StopSignal = upper.StopSignal ?? lower.StopSignal,
            Healthcheck = upper.Healthcheck ?? lower.Healthcheck,
        };
    }

    private static SortedDictionary<string, string> Merged(IReadOnlyDictionary<string, string> lower, IReadOnlyDictionary<string, string> upper)
    {
        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in lower.Concat(upper))
        {
            merged[key] = value;
        }

        return merged;
    }
}
