using System.Buffers;
using System.Threading.Channels;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Layers;

/// <summary>
/// Reads small host files ahead of the layer writer, on a thread of its own, in the order the layer
/// needs them. With 100,000 small files the time goes into open/read/close; doing those while the
/// writer hashes and writes earlier files keeps both cores busy. At most a bounded number of files
/// (and bytes) wait in memory. Only planned entry lists are read ahead: a streamed rootfs tar is not.
/// </summary>
internal sealed class SmallFilePrefetcher : IDisposable
{
    public const int MaxFileSize = 256 << 10;
    private const int FilesAhead = 64;

    private readonly Channel<Prefetched> channel = Channel.CreateBounded<Prefetched>(new BoundedChannelOptions(FilesAhead) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource stop;
    private readonly Task reader;

    public SmallFilePrefetcher(IReadOnlyList<LayerEntry> entries, CancellationToken cancellationToken)
    {
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        reader = Task.Run(() => ReadAheadAsync(entries, stop.Token), stop.Token);
    }

    public static bool Applies(LayerEntry entry) =>
        entry.Kind == EntryKind.File && entry.Content is HostFileContent { Length: <= MaxFileSize };

    /// <summary>The content of entry <paramref name="index"/>, which must be the next small host file.</summary>
    public Prefetched Take(int index)
    {
        var next = channel.Reader.TryRead(out var ready) ? ready : channel.Reader.ReadAsync(stop.Token).AsTask().GetAwaiter().GetResult();
        if (next.Index != index)
        {
            throw new InvalidOperationException($"read-ahead is out of step: expected entry {index}, got {next.Index}");
        }

        return next;
    }

    public void Dispose()
    {
        stop.Cancel();
        try
        {
            reader.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // Stopped early because the layer failed or was cancelled; nothing to report from here.
        }

        while (channel.Reader.TryRead(out var left))
        {
            left.Return();
        }

        stop.Dispose();
    }

    private async Task ReadAheadAsync(IReadOnlyList<LayerEntry> entries, CancellationToken cancellationToken)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (!Applies(entries[i]))
            {
                continue;
            }

            var host = (HostFileContent)entries[i].Content!;
            Prefetched item;
            try
            {
                // One byte more than expected shows growth; a shorter result shows shrinking.
                var buffer = ArrayPool<byte>.Shared.Rent((int)host.Length + 1);
                using var handle = File.OpenHandle(host.HostPath, FileMode.Open, FileAccess.Read, FileShare.Read);
                var total = 0;
                int read;
                while (total < buffer.Length && (read = RandomAccess.Read(handle, buffer.AsSpan(total, (int)host.Length + 1 - total), total)) > 0)
                {
                    total += read;
                    if (total == host.Length + 1)
                    {
                        break;
                    }
                }

                item = new Prefetched(i, buffer, total, null);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                item = new Prefetched(i, null, 0, e);
            }

            await channel.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }

        channel.Writer.Complete();
    }

    /// <summary>A file read ahead: its bytes (pooled) or why it could not be read.</summary>
    internal readonly record struct Prefetched(int Index, byte[]? Buffer, int Length, Exception? Error)
    {
        public void Return()
        {
            if (Buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(Buffer);
            }
        }
    }
}
