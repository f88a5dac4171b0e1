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
}
