using System.Text.Json;
using System.Text.Json.Nodes;
using LayerBuilder.Image;
using LayerBuilder.Recipe;

namespace LayerBuilder.Base;

/// <summary>Reads the runtime config of a base image's config JSON (Docker's container.Config names).</summary>
internal static class ContainerConfigReader
{
    public static ContainerConfig Read(JsonObject? config)
    {
        if (config is null)
        {
            return new ContainerConfig();
        }

        return new ContainerConfig
        {
            User = NonEmpty(config["User"]),
            ExposedPorts = Keys(config["ExposedPorts"]),
            Env = Strings(config["Env"]) ?? [],
            Entrypoint = Strings(config["Entrypoint"]),
            Cmd = Strings(config["Cmd"]),
            Volumes = Keys(config["Volumes"]),
            WorkingDir = NonEmpty(config["WorkingDir"]),
            Labels = config["Labels"] is JsonObject labels
                ? new SortedDictionary<string, string>(labels.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? ""), StringComparer.Ordinal)
                : new SortedDictionary<string, string>(StringComparer.Ordinal),
            StopSignal = NonEmpty(config["StopSignal"]),
            Healthcheck = config["Healthcheck"] is JsonObject hc
                ? new HealthcheckSpec(Strings(hc["Test"]) ?? [], Long(hc["Interval"]), Long(hc["Timeout"]), Long(hc["StartPeriod"]), Long(hc["StartInterval"]), (int?)Long(hc["Retries"]))
                : null,
        };
    }

    private static string? NonEmpty(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static long? Long(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;

    /// <summary>Docker's StrSlice: an array, or a single string meaning a one-item list.</summary>
    private static List<string>? Strings(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(i => i?.GetValue<string>() ?? "").ToList(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        _ => null,
    };

    private static List<string> Keys(JsonNode? node) =>
        node is JsonObject map ? map.Select(p => p.Key).Order(StringComparer.Ordinal).ToList() : [];
}
