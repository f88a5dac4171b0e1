using LayerBuilder.Layers;

namespace LayerBuilder.Registry;

/// <summary>What the planner needs to read a <c>base: REFERENCE</c>: the build's registry session (null when
/// the build is <c>--offline</c>: nothing may be requested), where pulled content is stored, and who is told
/// how the transfers go.</summary>
internal sealed record RegistryPull(RegistrySession? Session, PulledBlobStore Store, IProgress<TransferProgress>? Progress);
