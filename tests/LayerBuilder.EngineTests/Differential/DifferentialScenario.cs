namespace LayerBuilder.EngineTests.Differential;

/// <summary>Which base a scenario's FROM names.</summary>
public enum ScenarioBase
{
    Scratch,
    Debian,
    Busybox,
}

/// <summary>One Dockerfile of the differential tier (its <c>FROM {{BASE}}</c> names the shared base) and
/// the build context it reads. Its recipe is what <c>convert</c> makes of the Dockerfile.</summary>
public sealed record DifferentialScenario(string Name, ScenarioBase Base, string Dockerfile, Action<ScenarioContext> Context)
{
    public const string BasePlaceholder = "{{BASE}}";

    public override string ToString() => Name;
}
