using LayerBuilder.Layers;
using LayerBuilder.Planning;

namespace LayerBuilder.Build;

/// <summary>The layers a build made, checked at most once, and only when their bytes are used: by
/// compression, the archive, a load or a push (<see cref="ILayerSource.CheckedAsync"/>).</summary>
internal sealed class MadeLayers(ImagePlan plan, ILayerSource source, IReadOnlyList<LayerBlob> layers)
{
    private readonly Lock gate = new();
    private Task<IReadOnlyList<LayerBlob>>? checking;

    /// <summary>The checked layers; callers on several threads (a push's uploads) share the one check.</summary>
    public Task<IReadOnlyList<LayerBlob>> CheckedAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return checking ??= LayerProduction.CheckAsync(plan, source, layers, cancellationToken);
        }
    }
}
