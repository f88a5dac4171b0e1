using LayerBuilder.Layers;
using LayerBuilder.Registry;

namespace LayerBuilder.Build;

/// <summary>
/// The layers of an <c>oci</c> output whose blobs are compressed (docs/archive-formats.md): a base layer pulled
/// from a registry compressed as asked is stored as the registry's own blob, the one the base's manifest pins
/// (docs/decisions.md D78), and its tar is never read (D79); every other layer is compressed here, as many at
/// a time as layers are written.
/// </summary>
internal static class CompressedLayers
{
    /// <summary>The blobs of <paramref name="layers"/> (the image's uncompressed layers) taken from
    /// <paramref name="baseBlobs"/> (the kept registry blobs of the bottom layers,
    /// <see cref="Planning.ImagePlan.BaseBlobs"/>), checked, or compressed as <paramref name="compression"/>
    /// says into <paramref name="folder"/> from the layers <paramref name="checkedLayers"/> gives, which is
    /// asked only when one is compressed.</summary>
    public static async Task<IReadOnlyList<LayerBlob>> MakeAsync(IReadOnlyList<LayerBlob> layers, Func<CancellationToken, Task<IReadOnlyList<LayerBlob>>> checkedLayers,
        IReadOnlyList<PulledLayerBlob?> baseBlobs, LayerCompression compression, string folder, CancellationToken cancellationToken)
    {
        var result = new LayerBlob[layers.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = LayerWriting.ConcurrentWriters, CancellationToken = cancellationToken };
        await Parallel.ForAsync(0, layers.Count, options, async (i, token) =>
            result[i] = i < baseBlobs.Count && baseBlobs[i] is { } kept && kept.DiffId == layers[i].DiffId && kept.Compression == compression
                ? await kept.CheckedAsync(token).ConfigureAwait(false)
                : await LayerCompressor.CompressAsync((await checkedLayers(token).ConfigureAwait(false))[i], compression, folder, token).ConfigureAwait(false))
            .ConfigureAwait(false);
        return result;
    }
}
