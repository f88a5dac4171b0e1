using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Base;

/// <summary>The image a recipe's <see cref="Recipe.ImageBase"/> or <see cref="Recipe.RegistryBase"/> names, read: its verified layers
/// (uncompressed tars, digests checked against the config's diff ids; a pulled layer's tar may be made only
/// when first read, and checked then, docs/decisions.md D79), runtime config and history, ready to be
/// inherited.</summary>
internal sealed record InheritedImage(string Name, Platform Platform, ContainerConfig Config, IReadOnlyList<HistoryEntry> History, IReadOnlyList<LayerBlob> Layers)
{
    /// <summary>For a registry base, the compressed blob its manifest names for each layer, as the pull kept it
    /// (null for a layer pulled as a plain tar or whose blob is not kept); empty for another base.</summary>
    public IReadOnlyList<Registry.PulledLayerBlob?> Blobs { get; init; } = [];
}
