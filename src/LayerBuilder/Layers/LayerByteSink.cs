using System.Buffers;
using System.Security.Cryptography;
using System.Threading.Channels;
using LayerBuilder.Image;

namespace LayerBuilder.Layers;

/// <summary>
/// The producing half of a layer write: tar headers and file content are laid into 1 MiB buffers,
/// hashed in order, and handed to a writer on another thread. Reading and hashing one buffer overlap
/// with writing the previous one, which is what makes two cores pay off on one layer.
/// </summary>
internal sealed class LayerByteSink : Stream
{
    public const int BufferSize = 1 << 20;

    private readonly ChannelWriter<(byte[] Buffer, int Count)> output;
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly CancellationToken cancellationToken;
    private byte[] current = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int used;

    public LayerByteSink(ChannelWriter<(byte[] Buffer, int Count)> output, CancellationToken cancellationToken)
    {
        this.output = output;
        this.cancellationToken = cancellationToken;
    }

    public long BytesWritten { get; private set; }

    /// <summary>Free space of the current buffer, for reading file content straight into it.</summary>
    public Memory<byte> FreeSpace()
    {
        if (used == BufferSize)
        {
            Hand();
        }

        return current.AsMemory(used, BufferSize - used);
    }

    /// <summary>Marks <paramref name="count"/> bytes of <see cref="FreeSpace"/> as filled.</summary>
    public void Advance(int count)
    {
        hash.AppendData(current, used, count);
        used += count;
        BytesWritten += count;
    }

    public Digest Complete()
    {
        Hand();
        ArrayPool<byte>.Shared.Return(current);
        current = [];
        return Digest.FromHashBytes(hash.GetHashAndReset());
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            var space = FreeSpace().Span;
            var n = Math.Min(space.Length, buffer.Length);
            buffer[..n].CopyTo(space);
            Advance(n);
            buffer = buffer[n..];
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => BytesWritten;

    public override long Position
    {
        get => BytesWritten;
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hash.Dispose();
            if (current.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(current);
                current = [];
            }
        }

        base.Dispose(disposing);
    }

    private void Hand()
    {
        if (used == 0)
        {
            return;
        }

        // Bounded channel: when the writer falls behind, the reader waits instead of filling memory.
        var full = current;
        var count = used;
        current = ArrayPool<byte>.Shared.Rent(BufferSize);
        used = 0;
        if (!output.TryWrite((full, count)))
        {
            output.WriteAsync((full, count), cancellationToken).AsTask().GetAwaiter().GetResult();
        }
    }
}
