using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Base;

/// <summary>An image the recipe builds on: its verified layers (uncompressed, digests checked against
/// the config's diff ids), runtime config and history, ready to be inherited.</summary>
internal sealed record BaseImage(string Name, Platform Platform, ContainerConfig Config, IReadOnlyList<HistoryEntry> History, IReadOnlyList<FileLayer> Layers);
