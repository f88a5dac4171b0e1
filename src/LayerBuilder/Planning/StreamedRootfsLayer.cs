using LayerBuilder.Base;
using LayerBuilder.Cache;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Planning;

/// <summary>
/// A rootfs tar as layer 0. Its entries are only known by reading it, so it is written while it is read
/// (the one layer made during planning), each entry reaching the merged view through
/// <c>written</c> as it is written; from the cache, the stored layer is indexed instead (from its kept
/// entries once a build has read it, D83).
/// </summary>
internal sealed class StreamedRootfsLayer(string hostPath, SourcePosition position, long created, Action<Diagnostic> warn, LowerLayerIndex index, Action<LayerEntry> written, LayerIndexStore? indexes)
    : LayerWork(0, "base rootfs", below: null, baseChain: null, new LayerLocation())
{
    public override long EntryCount => -1;

    public override Digest? CacheKey(Digest? below) => StepCacheKey.ForFile("rootfs-tar", hostPath, created);

    public override Task<WrittenTar> WriteAsync(LayerDestination destination, Action<long, long>? progress, CancellationToken cancellationToken) =>
        LayerWriter.WriteAsync(destination, Location, new RootfsTarSource(hostPath, position, created, warn).Entries(), written, progress, cancellationToken);

    public override void Reused(FileLayer cached) => LayerIndexer.Apply(index, cached, position, indexes);
}
