namespace LayerBuilder.MSBuild.Publish;

/// <summary>What the project's properties and items say about the image (docs/msbuild.md), already
/// defaulted by the targets: the input of <see cref="PublishRecipeText"/>.</summary>
internal sealed record PublishSettings
{
    public required string Repository { get; init; }

    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>A path of a base image archive or OCI layout, or an image reference.</summary>
    public required string BaseImage { get; init; }

    /// <summary><c>os/arch[/variant]</c> from the runtime identifier; null leaves it to the base.</summary>
    public string? Platform { get; init; }

    public required string WorkingDirectory { get; init; }

    public required IReadOnlyList<string> Entrypoint { get; init; }

    /// <summary><c>LayerBuildUser</c>; null means the non-root default, <see cref="PublishRecipeText.AppUser"/>.</summary>
    public string? User { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];

    /// <summary>OCI manifest annotations: the pre-defined <c>org.opencontainers.image.*</c> labels.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Annotations { get; init; } = [];

    /// <summary><c>port/protocol</c>.</summary>
    public IReadOnlyList<string> Ports { get; init; } = [];

    /// <summary>The publish folder, absolute, with a trailing '/'; null when nothing was published.</summary>
    public string? PublishDir { get; init; }

    /// <summary>How the publish folder is layered; null files mean one layer (<c>LayerBuildLayering=single</c>).</summary>
    public PublishFiles? Layers { get; init; }
}
