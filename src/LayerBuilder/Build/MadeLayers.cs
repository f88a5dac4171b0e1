using LayerBuilder.Layers;
using LayerBuilder.Planning;

namespace LayerBuilder.Build;

/// <summary>The layers a build made, checked at most once, and only when their bytes are used: by
/// compression, the archive, a load or a push (<see cref="ILayerSource.CheckedAsync"/>).</summary>
internal sealed class MadeLayers(ImagePlan plan, ILayerSource source, IReadOnlyList<LayerBlob> layers)
{
    private IReadOnlyList<LayerBlob>? checkedLayers;

    public async Task<IReadOnlyList<LayerBlob>> CheckedAsync(CancellationToken cancellationToken) =>
        checkedLayers ??= await LayerProduction.CheckAsync(plan, source, layers, cancellationToken).ConfigureAwait(false);
}
