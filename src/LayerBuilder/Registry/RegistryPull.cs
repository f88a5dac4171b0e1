using LayerBuilder.Layers;

namespace LayerBuilder.Registry;

/// <summary>What the planner needs to read a <c>base: REFERENCE</c>: the build's registry session (null when
/// the build is <c>--offline</c>: nothing may be requested), where pulled content is stored, who is told
/// how the transfers go, and whether the build's outputs read the base's layer tars (an archive of plain
/// tars, a load): when neither they nor the plan do, a pull keeps the blobs and defers the tars (D79).</summary>
internal sealed record RegistryPull(RegistrySession? Session, PulledBlobStore Store, IProgress<TransferProgress>? Progress, bool OutputsReadTars = true);
