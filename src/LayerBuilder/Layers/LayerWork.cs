using LayerBuilder.Image;

namespace LayerBuilder.Layers;

/// <summary>
/// A layer to be made: how to write its tar, and what identifies it for the cache. Works are handed to
/// an <see cref="ILayerSource"/> bottom to top; <see cref="Below"/> links each to the one under it, so
/// a cache key covers everything beneath.
/// </summary>
internal abstract class LayerWork(int number, string label, LayerWork? below, Digest? baseChain, LayerLocation location)
{
    /// <summary>The layer's number in the image, bottom first (for progress).</summary>
    public int Number { get; } = number;

    /// <summary>Words for progress: the step's name, "base rootfs".</summary>
    public string Label { get; } = label;

    /// <summary>The work of the layer under this one; null for the lowest layer this build makes.</summary>
    public LayerWork? Below { get; } = below;

    /// <summary>The chain id of the base image's layers under the lowest made layer; null when there are none.</summary>
    public Digest? BaseChain { get; } = baseChain;

    /// <summary>Where the tar will be, for later steps that copy up its content; completed by <see cref="Finish"/>.</summary>
    public LayerLocation Location { get; } = location;

    /// <summary>Whether something reads this layer's content before the archive is written: a later step's
    /// copy-up, or the merged view (a streamed rootfs is indexed from its own tar). Such a layer taken from
    /// the cache is checked as soon as it is taken; any other only when its bytes are about to be used.</summary>
    public bool ReadBeforeArchive { get; set; }

    /// <summary>How many entries the layer has, for progress; -1 when that is only known once it is written.</summary>
    public abstract long EntryCount { get; }

    /// <summary>How many bytes the layer tar will have, for progress; null when that is only known once it is written.</summary>
    public virtual long? ExpectedLength => null;

    /// <summary>Completes when every lower layer whose content this one copies up is in its place. A layer
    /// waits for this before it takes a writer, so writers never wait on layers that have none.</summary>
    public virtual Task InputsPlaced => Task.CompletedTask;

    /// <summary>The cache key of this layer on top of <paramref name="below"/> (the key, or diff id, of
    /// the layer under it); null when some of its content exists only for this build.</summary>
    public abstract Digest? CacheKey(Digest? below);

    /// <summary>Writes the layer tar to <paramref name="destination"/>.</summary>
    public abstract Task<WrittenTar> WriteAsync(LayerDestination destination, Action<long, long>? progress, CancellationToken cancellationToken);

    /// <summary>The layer came from the cache instead of being written (a streamed rootfs indexes it then).</summary>
    public virtual void Reused(FileLayer cached)
    {
    }

    /// <summary>The layer is made: later steps may now read its content.</summary>
    public void Finish(LayerBlob layer)
    {
        if (layer.TarFile is { } tar)
        {
            Location.Complete(tar.Path, tar.Offset);
        }
        else
        {
            Location.Fail(new InvalidOperationException($"layer {Number} was made without an uncompressed tar on disk"));
        }
    }

    public void Fail(Exception reason) => Location.Fail(reason);
}
