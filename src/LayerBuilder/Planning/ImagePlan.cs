using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Registry;

namespace LayerBuilder.Planning;

/// <summary>
/// Every layer of an image decided before any step's layer is written: the layers that already exist
/// (a base image's, a streamed rootfs tar) and, above them, the planned ones with their exact lengths,
/// plus what goes into the config. From this the archive's layout is known up front.
/// </summary>
internal sealed record ImagePlan(
    IReadOnlyList<LayerBlob> Existing,
    IReadOnlyList<PlannedLayer> Planned,
    IReadOnlyList<string> CreatedBy,
    IReadOnlyList<HistoryEntry> History,
    Platform Platform,
    ContainerConfig Config)
{
    /// <summary>The merged filesystem of every layer, for the recipe's checks; null when it has none (the
    /// top layer is then only measured, not recorded).</summary>
    public LowerLayerIndex? Merged { get; init; }

    /// <summary>The registry blob of each base layer at the bottom of <see cref="Existing"/>, when the base came
    /// from a registry and the pull kept it (docs/decisions.md D78); empty otherwise.</summary>
    public IReadOnlyList<PulledLayerBlob?> BaseBlobs { get; init; } = [];

    public int LayerCount => Existing.Count + Planned.Count;
}
