namespace LayerBuilder.Registry;

/// <summary>Copies a response body to a file stream in one pass, refusing more than a limit (a registry
/// cannot make LayerBuilder fill the disk with a blob larger than its descriptor says) and reporting how
/// many bytes have moved.</summary>
internal static class BoundedCopy
{
    private const int BufferSize = 1 << 20;

    /// <summary>Copies everything; returns the byte count, or -1 as soon as more than <paramref name="limit"/> arrived.</summary>
    public static async Task<long> CopyAsync(Stream source, Stream destination, long limit, Action<long>? moved, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        long total = 0;
        while (true)
        {
            var read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return total;
            }

            total += read;
            if (total > limit)
            {
                return -1;
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            moved?.Invoke(total);
        }
    }
}
