using LayerBuilder.Image;

namespace LayerBuilder.Base;

/// <summary>Reads the runtime config of a base image's config JSON (Docker's container.Config names).
/// A field of the wrong type is LB2019 naming it (<see cref="BaseJsonValue"/>); an absent one is unset.</summary>
internal static class ContainerConfigReader
{
    public static ContainerConfig Read(BaseJsonValue config)
    {
        if (!config.Exists)
        {
            return new ContainerConfig();
        }

        var healthcheck = config["Healthcheck"];
        return new ContainerConfig
        {
            User = NonEmpty(config["User"]),
            ExposedPorts = Keys(config["ExposedPorts"]),
            Env = config["Env"].StringList() ?? [],
            Entrypoint = config["Entrypoint"].StringList(),
            Cmd = config["Cmd"].StringList(),
            Volumes = Keys(config["Volumes"]),
            WorkingDir = NonEmpty(config["WorkingDir"]),
            Labels = new SortedDictionary<string, string>(
                config["Labels"].Properties().ToDictionary(p => p.Key, p => p.Value.String() ?? ""), StringComparer.Ordinal),
            StopSignal = NonEmpty(config["StopSignal"]),
            Healthcheck = !healthcheck.Exists
                ? null
                : new HealthcheckSpec(
                    healthcheck["Test"].StringList() ?? [],
                    healthcheck["Interval"].WholeNumber(),
                    healthcheck["Timeout"].WholeNumber(),
                    healthcheck["StartPeriod"].WholeNumber(),
                    healthcheck["StartInterval"].WholeNumber(),
                    (int?)healthcheck["Retries"].WholeNumber(int.MinValue, int.MaxValue)),
        };
    }

    private static string? NonEmpty(BaseJsonValue value) => value.String() is { Length: > 0 } text ? text : null;

    private static List<string> Keys(BaseJsonValue value) =>
        value.Properties().Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
}
