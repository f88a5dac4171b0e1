namespace LayerBuilder.Layers;

/// <summary>
/// Writes layers into the build's staging folder (or straight into the archive), at most
/// <see cref="ConcurrentWriters"/> at a time: a writer keeps about one core busy hashing and one reading,
/// so more would only contend.
/// </summary>
internal sealed class LayerWriting(string staging, IProgress<LayerProgress>? progress) : ILayerSource, IDisposable
{
    public const int ConcurrentWriters = 2;

    private readonly SemaphoreSlim writers = new(ConcurrentWriters);

    public Task<LayerBlob> ObtainAsync(LayerWork work, ArchiveSlot? slot, CancellationToken cancellationToken) =>
        WriteAsync(work, new LayerDestination(slot is null ? Path.Combine(staging, $"layer-{work.Number}.tar") : null, slot), cancellationToken);

    /// <summary>A layer this writer wrote was hashed while it was written: nothing to check.</summary>
    public Task<LayerBlob> CheckedAsync(LayerBlob layer, LayerWork work, CancellationToken cancellationToken) => Task.FromResult(layer);

    /// <summary>Writes the layer to <paramref name="destination"/>: the layer is the slot's when there is
    /// one, else its own file.</summary>
    public async Task<LayerBlob> WriteAsync(LayerWork work, LayerDestination destination, CancellationToken cancellationToken)
    {
        await work.InputsPlaced.WaitAsync(cancellationToken).ConfigureAwait(false);
        await writers.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var tar = await work.WriteAsync(destination, Report(work), cancellationToken).ConfigureAwait(false);
            return destination.Slot is { } slot
                ? new PlacedLayer(slot, tar.DiffId, tar.Size)
                : new FileLayer(destination.FilePath!, tar.DiffId, tar.Size);
        }
        finally
        {
            writers.Release();
        }
    }

    /// <summary>Reports a layer that was not written (a cache hit).</summary>
    public void ReportReused(LayerWork work, long size) =>
        progress?.Report(new LayerProgress(work.Number, work.Label, Math.Max(work.EntryCount, 0), size, Done: true, FromCache: true) { TotalBytes = size });

    public void Dispose() => writers.Dispose();

    private Action<long, long>? Report(LayerWork work) => progress is null
        ? null
        : (files, bytes) => progress.Report(new LayerProgress(work.Number, work.Label, files, bytes, Done: files == work.EntryCount, FromCache: false)
        {
            TotalFiles = work.EntryCount >= 0 ? work.EntryCount : null,
            TotalBytes = work.ExpectedLength,
        });
}
