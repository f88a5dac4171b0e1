using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Registry;

namespace LayerBuilder.Push;

/// <summary>
/// The layers as a push sends them: compressed as asked. A base layer pulled compressed that way is sent
/// as the blob it was pulled as (<see cref="PulledLayerBlob"/>, docs/decisions.md D60). A layer whose
/// compressed digest a record knows (<see cref="CompressedDigests"/>) is compressed only if the registry
/// turns out to lack it (<see cref="DeferredCompressedLayer"/>), so an unchanged re-push reads no layer at
/// all; the others are compressed now, as many at a time as layers are written, and recorded. With a
/// record store (a layer cache) and an <see cref="UploadWhileCompressing"/>, a layer compressed now is
/// uploaded while it is compressed (D74): nothing knows its digest, so there is nothing to ask the registry
/// first, as a blob-info cache that knows nothing of a layer makes skopeo upload it. Without a layer cache
/// the layer is compressed first and the push asks the registry (<c>HEAD</c>) before it sends it, so a
/// cache-less re-push of an unchanged image still sends nothing.
/// </summary>
internal static class PushedLayers
{
    public static async Task<IReadOnlyList<ILayer>> MakeAsync(IReadOnlyList<LayerBlob> made, Func<CancellationToken, Task<IReadOnlyList<LayerBlob>>> checkedLayers,
        LayerCompression compression, string folder, CompressedDigests? records, PulledBlobStore? pulled, CancellationToken cancellationToken) =>
        await MakeAsync(made, checkedLayers, compression, folder, records, pulled, upload: null, cancellationToken).ConfigureAwait(false);

    public static async Task<IReadOnlyList<ILayer>> MakeAsync(IReadOnlyList<LayerBlob> made, Func<CancellationToken, Task<IReadOnlyList<LayerBlob>>> checkedLayers,
        LayerCompression compression, string folder, CompressedDigests? records, PulledBlobStore? pulled, UploadWhileCompressing? upload, CancellationToken cancellationToken)
    {
        if (compression == LayerCompression.None)
        {
            return await checkedLayers(cancellationToken).ConfigureAwait(false);
        }

        var result = new ILayer[made.Count];
        var now = new List<int>();
        for (var i = 0; i < made.Count; i++)
        {
            var index = i;
            var diffId = made[i].DiffId;
            if (pulled is not null && PulledLayerBlob.Find(pulled, diffId, compression) is { } kept)
            {
                result[i] = kept;
            }
            else if (records?.Find(diffId, compression) is { } known)
            {
                result[i] = new DeferredCompressedLayer(known.Digest, known.Size, diffId, LayerCompressor.MediaType(compression),
                    async token => await LayerCompressor.CompressAsync((await checkedLayers(token).ConfigureAwait(false))[index], compression, folder, token).ConfigureAwait(false),
                    () => records.Forget(diffId, compression));
            }
            else
            {
                now.Add(i);
            }
        }

        if (now.Count > 0)
        {
            var layers = await checkedLayers(cancellationToken).ConfigureAwait(false);
            var options = new ParallelOptions { MaxDegreeOfParallelism = LayerWriting.ConcurrentWriters, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(now, options, async (i, token) =>
            {
                var compressed = upload is not null && records is not null
                    ? await upload.CompressAsync(layers[i], compression, folder, token).ConfigureAwait(false)
                    : await LayerCompressor.CompressAsync(layers[i], compression, folder, token).ConfigureAwait(false);
                records?.Remember(compressed, compression);
                result[i] = compressed;
            }).ConfigureAwait(false);
        }

        return result;
    }
}
