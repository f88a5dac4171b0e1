using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.IO.Hashing;
using System.Threading.Channels;

namespace LayerBuilder.Layers;

/// <summary>
/// Gzip on every core, with bytes that do not depend on the number of threads (docs/decisions.md D74).
/// The input is cut into chunks of <see cref="ChunkSize"/>; each is deflated on its own, from an empty
/// window, at the fixed level by the runtime's zlib. A chunk that is not the last ends with a sync flush
/// (an empty stored block, byte-aligned and not final), so the chunks, written in order, are one deflate
/// stream; the last ends the stream. One gzip member wraps it: a fixed header (no time, no name), then
/// the CRC-32 and length of the whole input, computed in the pass that reads it. What a chunk becomes
/// depends only on its bytes and on whether it is the last, so any schedule gives the same output; an
/// input of one chunk gives the very bytes of a single-stream <see cref="GZipStream"/> at that level.
/// Memory is bounded: a few chunks per thread, never the whole input.
/// </summary>
internal static class ParallelGzip
{
    /// <summary>The size of a chunk. Part of the format: another size gives other bytes.</summary>
    public const int ChunkSize = 1 << 20;

    /// <summary>The name of this layout where records of compressed digests are kept (Push/CompressedDigests):
    /// the single-stream gzip before it was plain <c>gzip</c>.</summary>
    public const string FormatName = "gzip-1mib-chunks";

    /// <summary>zlib level 1, as the single-stream compressor before D74 used.</summary>
    public const CompressionLevel Level = CompressionLevel.Fastest;

    /// <summary>Room for a chunk that does not shrink (stored blocks cost a few bytes per 64 KiB).</summary>
    private const int OutputSlack = 64 << 10;

    /// <summary>The gzip header zlib writes at level 1 on Unix with no header data of its own: magic,
    /// deflate, no flags, no time, "fastest" extra flags, Unix. Fixed on every platform.</summary>
    private static ReadOnlySpan<byte> Header => [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x03];

    /// <summary>An empty deflate stream: one final block of fixed codes holding only its end code.</summary>
    private static ReadOnlySpan<byte> EmptyFinalBlock => [0x03, 0x00];

    private const int TrailerSize = 8;

    /// <summary>Compresses all of <paramref name="input"/> into <paramref name="output"/>, at most
    /// <paramref name="threads"/> chunks at a time.</summary>
    public static async Task CompressAsync(Stream input, Stream output, int threads, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var gate = new SemaphoreSlim(threads);
        var chunks = new ConcurrentBag<Chunk>();
        // Chunks compressed or being compressed, in input order; its bound (with the gate) bounds memory.
        var pending = Channel.CreateBounded<Task<Chunk>>(new BoundedChannelOptions(threads) { SingleReader = true, SingleWriter = true });
        var whole = new Crc32();

        await output.WriteAsync(Header.ToArray(), cancellationToken).ConfigureAwait(false);
        var producing = ProduceAsync(input, pending.Writer, whole, chunks, gate, stop.Token);
        long size;
        try
        {
            await foreach (var task in pending.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                var chunk = await task.ConfigureAwait(false);
                await output.WriteAsync(chunk.Output.GetBuffer().AsMemory(0, (int)chunk.Output.Length), stop.Token).ConfigureAwait(false);
                chunks.Add(chunk);
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await producing.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // the first failure is the one reported
            }

            throw;
        }

        size = await producing.ConfigureAwait(false);
        var trailer = new byte[TrailerSize];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, whole.GetCurrentHashAsUInt32());
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), unchecked((uint)size));
        await output.WriteAsync(trailer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the input chunk by chunk, one ahead (a chunk is the last when nothing follows it),
    /// hashes it and hands it to a compressing task; returns the input's length.</summary>
    private static async Task<long> ProduceAsync(Stream input, ChannelWriter<Task<Chunk>> pending, Crc32 whole, ConcurrentBag<Chunk> chunks, SemaphoreSlim gate,
        CancellationToken cancellationToken)
    {
        try
        {
            long size = 0;
            var current = await ReadAsync(input, Rent(chunks), cancellationToken).ConfigureAwait(false);
            while (true)
            {
                Chunk? next = null;
                if (current.Length == ChunkSize)
                {
                    next = await ReadAsync(input, Rent(chunks), cancellationToken).ConfigureAwait(false);
                    if (next.Length == 0)
                    {
                        chunks.Add(next);
                        next = null;
                    }
                }

                current.Final = next is null;
                whole.Append(current.Input.AsSpan(0, current.Length));
                size += current.Length;
                var chunk = current;
                await pending.WriteAsync(Task.Run(() => CompressAsync(chunk, gate, cancellationToken), cancellationToken), cancellationToken).ConfigureAwait(false);
                if (next is null)
                {
                    break;
                }

                current = next;
            }

            pending.Complete();
            return size;
        }
        catch (Exception e)
        {
            pending.TryComplete(e);
            throw;
        }
    }

    private static Chunk Rent(ConcurrentBag<Chunk> chunks) => chunks.TryTake(out var chunk) ? chunk : new Chunk();

    /// <summary>Fills the chunk's input from <paramref name="input"/>: short only at the input's end.</summary>
    private static async Task<Chunk> ReadAsync(Stream input, Chunk chunk, CancellationToken cancellationToken)
    {
        chunk.Length = await input.ReadAtLeastAsync(chunk.Input, ChunkSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return chunk;
    }

    private static async Task<Chunk> CompressAsync(Chunk chunk, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Compress(chunk);
            return chunk;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Deflates one chunk from an empty window: ended by a sync flush unless it is the last,
    /// which ends the stream.</summary>
    internal static void Compress(Chunk chunk)
    {
        var output = chunk.Output;
        output.SetLength(0);
        long flushed = -1;
        using (var deflate = new DeflateStream(output, Level, leaveOpen: true))
        {
            deflate.Write(chunk.Input, 0, chunk.Length);
            if (!chunk.Final)
            {
                // DeflateStream.Flush is zlib's Z_SYNC_FLUSH; what closing adds after it (the final
                // block) is cut off below, since more chunks follow.
                deflate.Flush();
                flushed = output.Length;
            }
        }

        if (flushed >= 0)
        {
            output.SetLength(flushed);
        }
        else if (output.Length == 0)
        {
            // Nothing was written to the deflater at all (an empty input), and it wrote nothing.
            output.Write(EmptyFinalBlock);
        }
    }

    /// <summary>One chunk's input and its deflated bytes; reused, so a run allocates a few of them only.</summary>
    internal sealed class Chunk
    {
        public byte[] Input { get; } = new byte[ChunkSize];

        public int Length { get; set; }

        public bool Final { get; set; }

        public MemoryStream Output { get; } = new(ChunkSize + OutputSlack);
    }
}
