using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Push;

/// <summary>
/// A layer being compressed into its file while an upload follows the writer (docs/decisions.md D74):
/// the upload waits until a chunk's worth of compressed bytes is in the file, sends it, and names the
/// digest once the compression has ended. The file is kept, so a retried upload sends the very same
/// bytes again from its start.
/// </summary>
internal sealed class CompressionInFlight
{
    private readonly Lock gate = new();
    private long written;
    private TaskCompletionSource grew = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CompressionInFlight(LayerBlob layer, LayerCompression compression, string folder, CancellationToken cancellationToken)
    {
        DiffId = layer.DiffId;
        Path = LayerCompressor.PathOf(layer.DiffId, compression, folder);
        Compressed = CompressAsync(layer, compression, folder, cancellationToken);
    }

    public Digest DiffId { get; }

    /// <summary>The compressed file, as far as it is written.</summary>
    public string Path { get; }

    /// <summary>The whole compressed layer, once the compression has ended.</summary>
    public Task<FileLayer> Compressed { get; }

    /// <summary>Starts compressing <paramref name="layer"/> into a file of <paramref name="folder"/>.</summary>
    public static CompressionInFlight Start(LayerBlob layer, LayerCompression compression, string folder, CancellationToken cancellationToken) =>
        new(layer, compression, folder, cancellationToken);

    /// <summary>Waits until the file holds at least <paramref name="bytes"/> (true), or the compression
    /// has ended short of that (false: <see cref="Compressed"/> then says how it ended).</summary>
    public async Task<bool> WaitForAsync(long bytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (written >= bytes)
                {
                    return true;
                }

                next = grew.Task;
            }

            if (Compressed.IsCompleted)
            {
                return false;
            }

            await Task.WhenAny(next, Compressed).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Opens the file for reading, from its start, while it may still grow.</summary>
    public Task<Stream> OpenAsync(CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0, FileOptions.SequentialScan));

    private async Task<FileLayer> CompressAsync(LayerBlob layer, LayerCompression compression, string folder, CancellationToken cancellationToken)
    {
        await Task.Yield(); // the caller gets this object before the first byte is compressed
        return await LayerCompressor.CompressAsync(layer, compression, folder, Grew, cancellationToken).ConfigureAwait(false);
    }

    private void Grew(long total)
    {
        TaskCompletionSource woken;
        lock (gate)
        {
            written = total;
            woken = grew;
            grew = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        woken.TrySetResult();
    }
}
