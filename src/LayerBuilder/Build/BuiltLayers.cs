using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Build;

/// <summary>The layers of an image with what goes into its config: history, platform, runtime config
/// (the base image's, with the recipe's applied over it).</summary>
public sealed record BuiltLayers(IReadOnlyList<LayerBlob> Layers, IReadOnlyList<HistoryEntry> History, Platform Platform, ContainerConfig Config);
