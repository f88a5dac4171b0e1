using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;

namespace LayerBuilder.Recipe;

/// <summary>
/// A parsed, validated recipe (docs/recipe.md). Immutable; every value that a later phase may
/// complain about keeps its position. YamlDotNet types never appear here.
/// </summary>
public sealed record BuildRecipe
{
    /// <summary>The recipe file as the user named it (used in diagnostics).</summary>
    public required string File { get; init; }

    /// <summary>Relative host paths in the recipe resolve against this folder.</summary>
    public required string BaseDirectory { get; init; }

    public required Positioned<ImageReference> Image { get; init; }

    public required IReadOnlyList<string> Tags { get; init; }

    public required Platform Platform { get; init; }

    /// <summary>Whether the recipe (not the default) chose the platform; a base image's platform wins otherwise.</summary>
    public bool PlatformSet { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required BaseSpec Base { get; init; }

    public required EntryDefaults Defaults { get; init; }

    public required ConfigSpec Config { get; init; }

    public required IReadOnlyList<StepSpec> Steps { get; init; }
}

/// <summary>Metadata for entries that set none of their own (recipe <c>defaults</c>).</summary>
public sealed record EntryDefaults(OwnerSpec Owner, int DirMode, int FileMode);

/// <summary>The base the steps stack on.</summary>
public abstract record BaseSpec(SourcePosition Position);

public sealed record ScratchBase(SourcePosition Position) : BaseSpec(Position);

/// <summary>A root filesystem from a tar (optionally compressed) or a host folder; it becomes layer 0.</summary>
public sealed record RootfsBase(string HostPath, SourcePosition Position) : BaseSpec(Position);

/// <summary>An image from a save-format archive (<c>image:</c>) or an OCI layout folder or tar
/// (<c>layout:</c>): its layers, config and history are inherited.</summary>
public sealed record ImageBase(string HostPath, bool IsLayout, Positioned<string>? Ref, SourcePosition Position) : BaseSpec(Position);

/// <summary>The image's runtime config (OCI config.md "config"); null means "not set by the recipe".</summary>
public sealed record ConfigSpec
{
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public string? WorkingDir { get; init; }

    public string? User { get; init; }

    /// <summary><see cref="User"/> as an owner, with its position, so names can be checked against the image.</summary>
    public OwnerSpec? UserOwner { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Normalized "port/proto" keys.</summary>
    public IReadOnlyList<string> ExposedPorts { get; init; } = [];

    public IReadOnlyList<string> Volumes { get; init; } = [];

    public string? StopSignal { get; init; }

    public HealthcheckSpec? Healthcheck { get; init; }
}

/// <summary>Docker's HEALTHCHECK; durations in nanoseconds as the config stores them.</summary>
public sealed record HealthcheckSpec(IReadOnlyList<string> Test, long? Interval, long? Timeout, long? StartPeriod, long? StartInterval, int? Retries);

/// <summary>One step: exactly one layer.</summary>
public sealed record StepSpec
{
    public required int Index { get; init; }

    public string? Name { get; init; }

    public required SourcePosition Position { get; init; }

    public IReadOnlyList<CopySpec> Copy { get; init; } = [];

    public IReadOnlyList<FileSpec> Files { get; init; } = [];

    public IReadOnlyList<DirSpec> Dirs { get; init; } = [];

    public IReadOnlyList<LinkSpec> Symlinks { get; init; } = [];

    public IReadOnlyList<LinkSpec> Hardlinks { get; init; } = [];

    public IReadOnlyList<Positioned<ImagePath>> Remove { get; init; } = [];

    public IReadOnlyList<ExtractSpec> Extract { get; init; } = [];

    /// <summary>What the image history shows for this step.</summary>
    public string Description => Name ?? $"step {Index + 1}";
}

public sealed record CopySpec
{
    public required Positioned<string> Source { get; init; }

    /// <summary>The destination as written; a trailing '/' means "into this folder".</summary>
    public required Positioned<string> Destination { get; init; }

    public IReadOnlyList<Positioned<string>> Include { get; init; } = [];

    public IReadOnlyList<Positioned<string>> Exclude { get; init; } = [];

    public int? Mode { get; init; }

    public int? DirMode { get; init; }

    public OwnerSpec? Owner { get; init; }

    public bool PreserveMode { get; init; }

    public required SourcePosition Position { get; init; }
}

/// <summary>A tar (plain, gzip, bzip2 or zstd) unpacked under <c>dest</c>, entries keeping their own metadata.</summary>
public sealed record ExtractSpec(Positioned<string> Source, Positioned<ImagePath> Destination, SourcePosition Position);

public sealed record FileSpec(Positioned<ImagePath> Path, ReadOnlyMemory<byte> Content, int? Mode, OwnerSpec? Owner, SourcePosition Position);

public sealed record DirSpec(Positioned<ImagePath> Path, int? Mode, OwnerSpec? Owner, SourcePosition Position);

/// <summary>A symlink (target kept as written) or a hardlink (target is an image path).</summary>
public sealed record LinkSpec(Positioned<ImagePath> Path, Positioned<string> Target, OwnerSpec? Owner, SourcePosition Position);
