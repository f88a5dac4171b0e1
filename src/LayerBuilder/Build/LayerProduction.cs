using LayerBuilder.Layers;
using LayerBuilder.Planning;

namespace LayerBuilder.Build;

/// <summary>
/// Makes the planned layers of an image, all at once: how many are written at a time is the writer's
/// business, whether one is written at all the cache's. A layer that copies up content of a lower one
/// waits for that layer to be in its place. When one fails the rest are cancelled and awaited, so nothing
/// is still writing into the staging folder when the build removes it.
/// </summary>
internal static class LayerProduction
{
    /// <summary>Every layer of the image, bottom to top: the existing ones, then the planned ones made by
    /// <paramref name="source"/>; the only layer of a one-layer image goes into <paramref name="slot"/> when one is given.</summary>
    public static async Task<IReadOnlyList<LayerBlob>> ProduceAsync(ImagePlan plan, ILayerSource source, ArchiveSlot? slot, CancellationToken cancellationToken)
    {
        if (slot is not null && plan.LayerCount != 1)
        {
            throw new ArgumentException("only the layer of a one-layer image has a slot in the archive", nameof(slot));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var made = new List<Task<LayerBlob>>(plan.Planned.Count);
        try
        {
            foreach (var work in plan.Planned)
            {
                // Always run the body, even once cancelled: it fails the layer's location, which a later
                // step may be waiting on.
                made.Add(Task.Run(() => ObtainAsync(source, work, slot, stop.Token), CancellationToken.None));
            }

            return [.. plan.Existing, .. await Task.WhenAll(made).ConfigureAwait(false)];
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(made.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The layers as they may go into an archive: each made layer is handed back to
    /// <paramref name="source"/> to be checked (a cached one re-hashed, and made again if it rotted), all
    /// at once; called only when an archive is about to be written.</summary>
    public static async Task<IReadOnlyList<LayerBlob>> CheckAsync(ImagePlan plan, ILayerSource source, IReadOnlyList<LayerBlob> layers, CancellationToken cancellationToken)
    {
        var existing = plan.Existing.Count;
        // A base's layers were checked when they were read, or are checked as their tars are made (D79).
        var bases = Task.WhenAll(layers.Take(existing).Select(l => l.ReadableAsync(cancellationToken)));
        var made = await Task.WhenAll(plan.Planned.Select((work, i) => source.CheckedAsync(layers[existing + i], work, cancellationToken))).ConfigureAwait(false);
        return [.. await bases.ConfigureAwait(false), .. made];
    }

    private static async Task<LayerBlob> ObtainAsync(ILayerSource source, LayerWork work, ArchiveSlot? slot, CancellationToken cancellationToken)
    {
        try
        {
            var layer = await source.ObtainAsync(work, slot, cancellationToken).ConfigureAwait(false);
            work.Finish(layer);
            return layer;
        }
        catch (Exception e)
        {
            work.Fail(e);
            throw;
        }
    }
}
