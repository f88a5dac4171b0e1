using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Push;

/// <summary>
/// A pushed layer whose compressed digest and size are known from before (<see cref="CompressedDigests"/>)
/// and whose bytes are made only when something reads them: when the registry lacks the blob. The bytes
/// made are checked against the known digest; a record that no longer holds is forgotten and the push
/// fails, so no manifest ever names a blob that was not sent as named.
/// </summary>
internal sealed class DeferredCompressedLayer(Digest digest, long size, Digest diffId, string mediaType, Func<CancellationToken, Task<FileLayer>> compress, Action forget) : ILayer
{
    private readonly Lock gate = new();
    private Task<FileLayer>? made;

    public Digest Digest => digest;

    public Digest DiffId => diffId;

    public long Size => size;

    public string MediaType => mediaType;

    public async Task<Stream> OpenBlobAsync(CancellationToken cancellationToken = default)
    {
        Task<FileLayer> task;
        lock (gate)
        {
            // Made once: an upload opens the blob for each chunk and each retry.
            task = made ??= MakeAsync(cancellationToken);
        }

        return (await task.ConfigureAwait(false)).OpenBlob();
    }

    private async Task<FileLayer> MakeAsync(CancellationToken cancellationToken)
    {
        var file = await compress(cancellationToken).ConfigureAwait(false);
        if (file.Digest != digest || file.Size != size)
        {
            forget();
            throw new LayerBuildException(DiagnosticCodes.CompressedLayerChanged, new SourcePosition("", 0, 0),
                $"layer {diffId} compressed to {file.Digest} ({file.Size} bytes), not to the {digest} ({size} bytes) an earlier build recorded; the record is removed, build again");
        }

        return file;
    }
}
