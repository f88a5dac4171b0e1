using LayerBuilder.Cache;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Planning;

/// <summary>
/// A layer whose entries are all decided (a step, a rootfs folder): its exact length is known before a
/// byte of it is written, which is what lets the archive's layout be fixed first.
/// </summary>
internal sealed class PlannedLayer(
    int number, string label, LayerWork? below, Digest? baseChain, IReadOnlyList<LayerEntry> entries, long length, LayerLocation location)
    : LayerWork(number, label, below, baseChain, location)
{
    public IReadOnlyList<LayerEntry> Entries { get; } = entries;

    /// <summary>The length of the tar these entries make (<see cref="LayerOffsets"/>).</summary>
    public long Length { get; } = length;

    public override long EntryCount => Entries.Count;

    public override long? ExpectedLength => Length;

    /// <summary>The lower layers whose content this one copies up.</summary>
    public IReadOnlyList<LayerLocation> LowerInputs { get; } = (entries is PlanStore plan ? plan.KeptWholeEntries : entries)
        .Select(e => e.Content)
        .OfType<LayerSliceContent>()
        .Select(slice => slice.Location)
        .Distinct()
        .Where(lower => lower != location)
        .ToList();

    public override Task InputsPlaced => Task.WhenAll(LowerInputs.Select(lower => lower.Placed));

    public override Digest? CacheKey(Digest? below) => StepCacheKey.Compute(below, Entries);

    public override Task<WrittenTar> WriteAsync(LayerDestination destination, Action<long, long>? progress, CancellationToken cancellationToken) =>
        LayerWriter.WriteAsync(destination, Location, Entries, null, progress, cancellationToken);
}
