using System.Text.Json;

namespace LayerBuilder.EngineTests.Support;

/// <summary>The fixture recipe's <c>config:</c> as engines report it (Docker's container.Config field names).</summary>
public static class ConfigAssertions
{
    /// <summary>PATH first: the rootfs base has no config, so the image gets Docker's default PATH before the
    /// recipe's env, which then replaces its value in place, as an ENV after FROM does (docs/recipe.md).</summary>
    public static readonly string[] Env = ["PATH=/usr/local/bin:/usr/bin:/bin", "GREETING=hello from layerbuilder"];
    public static readonly string[] Entrypoint = ["/app/bin/run"];
    public static readonly string[] Cmd = ["from-cmd", "second arg"];
    public static readonly string[] ExposedPorts = ["53/udp", "8080/tcp", "9090/tcp"];
    public static readonly string[] Volumes = ["/data"];
    public static readonly string[] HealthcheckTest = ["CMD", "/bin/cat", "/etc/app/config.ini"];

    public static readonly Dictionary<string, string> Labels = new()
    {
        [DockerEngine.TestLabel] = "engine",
        ["org.opencontainers.image.version"] = "1.2.3",
    };

    /// <param name="config">The <c>Config</c> object of an inspect, or <c>config</c> of an image config.</param>
    /// <param name="healthcheck">The healthcheck object wherever the engine reports it.</param>
    /// <param name="healthcheckReported">False where the engine reads the config as an OCI config, which has
    /// no healthcheck field; then none may be reported.</param>
    public static void AssertRuntimeConfig(JsonElement config, JsonElement? healthcheck, bool healthcheckReported = true)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Strings(config, "Env"), Is.EqualTo(Env), "Env");
            Assert.That(Strings(config, "Entrypoint"), Is.EqualTo(Entrypoint), "Entrypoint");
            Assert.That(Strings(config, "Cmd"), Is.EqualTo(Cmd), "Cmd");
            Assert.That(String(config, "WorkingDir"), Is.EqualTo("/app"), "WorkingDir");
            Assert.That(String(config, "User"), Is.EqualTo("1000:1000"), "User");
            Assert.That(Keys(config, "ExposedPorts"), Is.EqualTo(ExposedPorts), "ExposedPorts");
            Assert.That(Keys(config, "Volumes"), Is.EqualTo(Volumes), "Volumes");
            Assert.That(Map(config, "Labels"), Is.EqualTo(Labels), "Labels");
            Assert.That(String(config, "StopSignal"), Is.EqualTo("SIGINT"), "StopSignal");
            Assert.That(healthcheck, healthcheckReported ? Is.Not.Null : Is.Null, "Healthcheck");
            if (healthcheck is { } check)
            {
                Assert.That(Strings(check, "Test"), Is.EqualTo(HealthcheckTest), "Healthcheck.Test");
                Assert.That(Number(check, "Interval"), Is.EqualTo(30_000_000_000L), "Healthcheck.Interval (ns)");
                Assert.That(Number(check, "Timeout"), Is.EqualTo(5_000_000_000L), "Healthcheck.Timeout (ns)");
                Assert.That(Number(check, "StartPeriod"), Is.EqualTo(10_000_000_000L), "Healthcheck.StartPeriod (ns)");
                Assert.That(Number(check, "Retries"), Is.EqualTo(3), "Healthcheck.Retries");
            }
        });
    }

    public static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static string? String(JsonElement element, string name) => Property(element, name)?.GetString();

    public static long? Number(JsonElement element, string name) => Property(element, name)?.GetInt64();

    public static List<string>? Strings(JsonElement element, string name) =>
        Property(element, name)?.EnumerateArray().Select(e => e.GetString()!).ToList();

    public static List<string>? Keys(JsonElement element, string name) =>
        Property(element, name)?.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();

    public static Dictionary<string, string>? Map(JsonElement element, string name) =>
        Property(element, name)?.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
}
