using System.Buffers;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Layers;

/// <summary>
/// Reads small host files ahead of the layer writer, on a thread of its own, in the order the layer
/// needs them. With 100,000 small files the time goes into open/read/close; doing those while the
/// writer lays out and writes earlier files keeps both cores busy. At most a bounded number of files
/// wait in memory. Waiting is a plain monitor wait: spinning costs the other threads their core.
/// Only planned entry lists are read ahead: a streamed rootfs tar is not.
/// </summary>
internal sealed class SmallFilePrefetcher : IDisposable
{
    public const int MaxFileSize = 256 << 10;
    private const int FilesAhead = 256;

    private readonly Queue<Prefetched> ready = new();
    private readonly IReadOnlyList<LayerEntry> entries;
    private readonly CancellationToken cancellationToken;
    private readonly Thread thread;
    private bool stopped;
    private bool finished;

    public SmallFilePrefetcher(IReadOnlyList<LayerEntry> entries, CancellationToken cancellationToken)
    {
        this.entries = entries;
        this.cancellationToken = cancellationToken;
        thread = new Thread(ReadAhead) { IsBackground = true, Name = "layer read-ahead" };
        thread.Start();
    }

    public static bool Applies(LayerEntry entry) =>
        entry.Kind == EntryKind.File && entry.Content is HostFileContent { Length: <= MaxFileSize };

    /// <summary>The content of entry <paramref name="index"/>, which must be the next small host file.</summary>
    public Prefetched Take(int index)
    {
        Prefetched next;
        lock (ready)
        {
            while (ready.Count == 0 && !finished)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Monitor.Wait(ready, 100);
            }

            if (!ready.TryDequeue(out next))
            {
                throw new InvalidOperationException($"read-ahead ended before entry {index}");
            }

            if (ready.Count == FilesAhead / 2)
            {
                Monitor.PulseAll(ready);
            }
        }

        if (next.Index != index)
        {
            next.Return();
            throw new InvalidOperationException($"read-ahead is out of step: expected entry {index}, got {next.Index}");
        }

        return next;
    }

    public void Dispose()
    {
        lock (ready)
        {
            stopped = true;
            Monitor.PulseAll(ready);
        }

        thread.Join();
        while (ready.TryDequeue(out var left))
        {
            left.Return();
        }
    }

    private void ReadAhead()
    {
        try
        {
            for (var i = 0; i < entries.Count; i++)
            {
                if (!Applies(entries[i]))
                {
                    continue;
                }

                var item = Read(i, (HostFileContent)entries[i].Content!);
                lock (ready)
                {
                    // Refill in batches: waking the writer for every file costs more than the file.
                    while (ready.Count >= FilesAhead && !stopped)
                    {
                        Monitor.Wait(ready);
                    }

                    if (stopped)
                    {
                        item.Return();
                        return;
                    }

                    ready.Enqueue(item);
                    if (ready.Count == 1)
                    {
                        Monitor.PulseAll(ready);
                    }
                }
            }
        }
        finally
        {
            lock (ready)
            {
                finished = true;
                Monitor.PulseAll(ready);
            }
        }
    }

    private static Prefetched Read(int index, HostFileContent host)
    {
        // One byte more than expected shows growth; a shorter result shows shrinking.
        var buffer = ArrayPool<byte>.Shared.Rent((int)host.Length + 1);
        try
        {
            using var file = HostFileReader.Open(host.HostPath);
            var total = 0;
            while (total <= host.Length)
            {
                var ask = (int)host.Length + 1 - total;
                var read = file.Read(buffer.AsSpan(total, ask), total);
                total += read;

                // A short read of a regular file is its end: no second call to learn that.
                if (read < ask)
                {
                    break;
                }
            }

            // Only a file whose length held is compared: a length change is reported as such.
            var rewritten = total == host.Length && host.Info is { } seen && file.ChangedSince(seen);
            return new Prefetched(index, buffer, total, null) { Rewritten = rewritten };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return new Prefetched(index, null, 0, e);
        }
    }

    /// <summary>A file read ahead: its bytes (pooled) or why it could not be read.</summary>
    internal readonly record struct Prefetched(int Index, byte[]? Buffer, int Length, Exception? Error)
    {
        /// <summary>The file's times moved since the plan's stat: rewritten in place, perhaps while it was read.</summary>
        public bool Rewritten { get; init; }

        public void Return()
        {
            if (Buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(Buffer);
            }
        }
    }
}
