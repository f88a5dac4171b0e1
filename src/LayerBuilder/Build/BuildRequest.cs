using LayerBuilder.Archive;
using LayerBuilder.Recipe;

namespace LayerBuilder.Build;

/// <summary>One build: a parsed recipe and where the archive goes. Front ends map their inputs to this.</summary>
public sealed record BuildRequest(BuildRecipe Recipe, string OutputPath)
{
    public ArchiveFormat Format { get; init; } = ArchiveFormat.Docker;

    /// <summary>Folder for the layer files while the archive is assembled; default: beside the output.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>Reuse layers of unchanged steps and leave an unchanged archive untouched; null: no cache.</summary>
    public Cache.LayerCache? Cache { get; init; }
}
