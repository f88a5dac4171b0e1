using System.Collections.Concurrent;
using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Push;

/// <summary>
/// Compresses layers for a push and uploads each while it is compressed (docs/decisions.md D74), and
/// remembers which blobs went that way, so the push of the image that follows sends them no more (no
/// <c>HEAD</c>, no upload) and still counts them as uploaded.
/// </summary>
internal sealed class UploadWhileCompressing(BlobPusher pusher)
{
    private readonly ConcurrentDictionary<Digest, byte> sent = new();

    /// <summary>Compresses <paramref name="layer"/> into a file of <paramref name="folder"/> while the
    /// registry receives it; returns the compressed layer once the registry has taken it whole.</summary>
    public async Task<FileLayer> CompressAsync(LayerBlob layer, LayerCompression compression, string folder, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var compressing = CompressionInFlight.Start(layer, compression, folder, stop.Token);
        var uploading = pusher.PushFollowingAsync(compressing, stop.Token);
        try
        {
            // Whichever fails first is the failure reported; the other is stopped.
            await Task.WhenAny(compressing.Compressed, uploading).ConfigureAwait(false);
            if (uploading is { IsCompleted: true, IsCompletedSuccessfully: false })
            {
                await uploading.ConfigureAwait(false);
            }

            await compressing.Compressed.ConfigureAwait(false);
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(compressing.Compressed, uploading).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }

        var blob = await uploading.ConfigureAwait(false);
        sent[blob.Digest] = 0;
        return blob;
    }

    /// <summary>Whether <paramref name="digest"/> was uploaded here.</summary>
    public bool Sent(Digest digest) => sent.ContainsKey(digest);
}
