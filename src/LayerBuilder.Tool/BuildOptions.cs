using LayerBuilder.Archive;
using LayerBuilder.Layers;

namespace LayerBuilder.Tool;

/// <summary>The parsed command line, immutable: what the user asked for, before any work is done.</summary>
public sealed record BuildOptions(
    string Recipe,
    string? Output,
    ArchiveFormat Format,
    IReadOnlyDictionary<string, string> Args,
    IReadOnlyList<string> Tags,
    string? Created,
    bool Quiet,
    bool Verbose)
{
    public LayerCompression Compression { get; init; } = LayerCompression.None;

    public bool NoCache { get; init; }

    /// <summary>Push every tag to the registry the image's name says.</summary>
    public bool Push { get; init; }

    /// <summary>Compression of pushed layers (gzip unless --compression says otherwise).</summary>
    public LayerCompression PushCompression { get; init; } = LayerCompression.Gzip;

    /// <summary>Load the image into the docker engine of DOCKER_HOST.</summary>
    public bool Load { get; init; }

    /// <summary>Whether an archive is written: always with -o, otherwise only when nothing is pushed or loaded.</summary>
    public bool WritesArchive => Output is not null || (!Push && !Load);
    /// <summary>Use only the cache: no registry request (a base never pulled is an error).</summary>
    public bool Offline { get; init; }

    /// <summary>Registries that may speak plain HTTP or present an unverified certificate.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];
    /// <summary>The image id the build must produce (<c>--expect-image-id</c>), as given.</summary>
    public string? ExpectImageId { get; init; }

    /// <summary>The one platform of a recipe with several to build (<c>--platform</c>), as given.</summary>
    public string? Platform { get; init; }
}
