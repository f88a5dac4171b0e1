using System.Buffers;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Layers;

/// <summary>
/// Reads small host files ahead of the layer writer, on threads of their own, in the order the layer
/// needs them. With a million small files the time goes into open/read/stat/close, more than the writer
/// and the hash together: <see cref="Readers"/> threads share that work, each reading every
/// <see cref="Readers"/>-th chunk of <see cref="ChunkEntries"/> consecutive entries, and the writer takes
/// the chunks back in order. Hand-offs are per chunk, not per file: a plain monitor wait per file cost a
/// wake-up and a sleep of the writer for every file (docs/performance.md). At most a bounded number of
/// files wait in memory. Only planned entry lists are read ahead: a streamed rootfs tar is not.
/// </summary>
internal sealed class SmallFilePrefetcher : IDisposable
{
    public const int MaxFileSize = 256 << 10;

    /// <summary>Consecutive entries one reader reads as one piece of work and hands over at once.</summary>
    private const int ChunkEntries = 32;

    /// <summary>Chunks a reader may have finished and waiting; with <see cref="Readers"/> readers and the
    /// writer's chunk, at most about 300 files are in memory.</summary>
    private const int ChunksAhead = 3;

    private readonly IReadOnlyList<LayerEntry> entries;
    private readonly IWalkedEntries? walked;
    private readonly CancellationToken cancellationToken;
    private readonly object gate = new(); // a Monitor, for Wait and PulseAll
    private readonly Reader[] readers;
    private Chunk? current;
    private int currentNumber = -1;
    private bool stopped;

    public SmallFilePrefetcher(IReadOnlyList<LayerEntry> entries, CancellationToken cancellationToken)
    {
        this.entries = entries;
        walked = entries as IWalkedEntries;
        this.cancellationToken = cancellationToken;
        var chunks = (entries.Count + ChunkEntries - 1) / ChunkEntries;
        readers = new Reader[Math.Max(1, Math.Min(Readers, chunks))];
        for (var i = 0; i < readers.Length; i++)
        {
            readers[i] = new Reader(this, i);
        }

        foreach (var reader in readers)
        {
            reader.Start();
        }
    }

    /// <summary>Threads reading ahead: two where there is more than one core (one alone kept the writer
    /// waiting: it was half of a million-file build's CPU time).</summary>
    public static int Readers { get; } = Environment.ProcessorCount > 1 ? 2 : 1;

    public static bool Applies(LayerEntry entry) =>
        entry.Kind == EntryKind.File && entry.Content is HostFileContent { Length: <= MaxFileSize };

    /// <summary>The content of entry <paramref name="index"/>, which must be the next small host file.</summary>
    public Prefetched Take(int index)
    {
        var number = index / ChunkEntries;
        while (currentNumber < number || current!.Position == current.Count)
        {
            if (currentNumber >= number)
            {
                throw new InvalidOperationException($"read-ahead is out of step: nothing read for entry {index}");
            }

            current?.ReturnRest();
            current = Next();
        }

        var next = current.Items[current.Position++];
        if (next.Index != index)
        {
            throw new InvalidOperationException($"read-ahead is out of step: expected entry {index}, got {next.Index}");
        }

        return next;
    }

    public void Dispose()
    {
        lock (gate)
        {
            stopped = true;
            Monitor.PulseAll(gate);
        }

        foreach (var reader in readers)
        {
            reader.Join();
        }

        current?.ReturnRest();
        foreach (var reader in readers)
        {
            while (reader.Done.TryDequeue(out var left))
            {
                left.ReturnRest();
            }
        }
    }

    /// <summary>The chunk after the current one, from the reader that reads it.</summary>
    private Chunk Next()
    {
        var number = ++currentNumber;
        var reader = readers[number % readers.Length];
        lock (gate)
        {
            while (reader.Done.Count == 0 && !reader.Finished)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Monitor.Wait(gate, 100);
            }

            if (!reader.Done.TryDequeue(out var chunk))
            {
                throw new InvalidOperationException($"read-ahead ended before chunk {number}");
            }

            if (reader.Done.Count == ChunksAhead - 1)
            {
                Monitor.PulseAll(gate); // the reader may be waiting for room
            }

            return chunk;
        }
    }

    /// <summary>Whether entry <paramref name="index"/> is read ahead, and if so where its file is.</summary>
    private bool Wanted(int index, out FolderListing? listing, out int member, out HostFileContent? host)
    {
        if (walked is not null && walked.TryWalkedFile(index, out var found, out member))
        {
            listing = found;
            host = null;
            return found.Stat(member).Size <= MaxFileSize; // Applies, without making the entry
        }

        listing = null;
        member = 0;
        var entry = entries[index];
        host = Applies(entry) ? (HostFileContent)entry.Content! : null;
        return host is not null;
    }

    private static Prefetched Read(int index, HostFileContent host)
    {
        try
        {
            using var file = HostFileReader.Open(host.HostPath);
            return ReadAll(index, file, host.Length, host.Info is { } seen ? (seen.ModifiedNanoseconds, seen.ChangedNanoseconds) : (0, 0));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Prefetched(index, null, 0, e);
        }
    }

    private static Prefetched Read(int index, HostFolder folder, FolderListing listing, int member)
    {
        try
        {
            ref readonly var stat = ref listing.Stat(member);
            using var file = HostFileReader.OpenIn(folder, listing.HostPath, listing.Name(member));
            return ReadAll(index, file, stat.Size, (stat.ModifiedNanoseconds, stat.ChangedNanoseconds));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Prefetched(index, null, 0, e);
        }
    }

    private static Prefetched ReadAll(int index, HostFileReader file, long length, (long Modified, long Changed) seen)
    {
        // One byte more than expected shows growth; a shorter result shows shrinking.
        var buffer = ArrayPool<byte>.Shared.Rent((int)length + 1);
        try
        {
            var total = 0;
            while (total <= length)
            {
                var ask = (int)length + 1 - total;
                var read = file.Read(buffer.AsSpan(total, ask), total);
                total += read;

                // A short read of a regular file is its end: no second call to learn that.
                if (read < ask)
                {
                    break;
                }
            }

            // Only a file whose length held is compared: a length change is reported as such.
            var rewritten = total == length && file.ChangedSince(seen.Modified, seen.Changed);
            return new Prefetched(index, buffer, total, null) { Rewritten = rewritten };
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
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

    /// <summary>The files read ahead from one run of <see cref="ChunkEntries"/> consecutive entries, in order.</summary>
    private sealed class Chunk
    {
        public Prefetched[] Items { get; } = new Prefetched[ChunkEntries];

        public int Count { get; set; }

        /// <summary>How many the writer has taken.</summary>
        public int Position { get; set; }

        public void ReturnRest()
        {
            for (; Position < Count; Position++)
            {
                Items[Position].Return();
            }
        }
    }

    /// <summary>One read-ahead thread: chunks <c>number</c>, <c>number + readers</c>, ...</summary>
    private sealed class Reader(SmallFilePrefetcher owner, int number)
    {
        private readonly Thread thread = new(static state => ((Reader)state!).Run()) { IsBackground = true, Name = "layer read-ahead" };

        /// <summary>Finished chunks, in order; guarded by the owner's gate.</summary>
        public Queue<Chunk> Done { get; } = new();

        public bool Finished { get; private set; }

        public void Start() => thread.Start(this);

        public void Join() => thread.Join();

        private void Run()
        {
            FolderListing? open = null;
            HostFolder? folder = null; // not default(HostFolder): its descriptor would be 0
            try
            {
                var count = owner.entries.Count;
                for (var chunkNumber = number; (long)chunkNumber * ChunkEntries < count; chunkNumber += owner.readers.Length)
                {
                    var chunk = new Chunk();
                    var end = Math.Min(count, (chunkNumber + 1) * ChunkEntries);
                    for (var i = chunkNumber * ChunkEntries; i < end; i++)
                    {
                        if (!owner.Wanted(i, out var listing, out var member, out var host))
                        {
                            continue;
                        }

                        if (listing is null)
                        {
                            chunk.Items[chunk.Count++] = Read(i, host!);
                            continue;
                        }

                        if (!ReferenceEquals(listing, open))
                        {
                            // A folder is opened once per run of its files, not once per file.
                            folder?.Dispose();
                            folder = HostFolder.Open(listing.HostPath);
                            open = listing;
                        }

                        chunk.Items[chunk.Count++] = Read(i, folder!.Value, listing, member);
                    }

                    lock (owner.gate)
                    {
                        while (Done.Count >= ChunksAhead && !owner.stopped)
                        {
                            Monitor.Wait(owner.gate);
                        }

                        if (owner.stopped)
                        {
                            chunk.ReturnRest();
                            return;
                        }

                        Done.Enqueue(chunk);
                        Monitor.PulseAll(owner.gate);
                    }
                }
            }
            finally
            {
                folder?.Dispose();
                lock (owner.gate)
                {
                    Finished = true;
                    Monitor.PulseAll(owner.gate);
                }
            }
        }
    }
}
