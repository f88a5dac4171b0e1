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

    /// <summary>The image id the build must produce (<c>--expect-image-id</c>), as given.</summary>
    public string? ExpectImageId { get; init; }
}
