using LayerBuilder.Image;

namespace LayerBuilder.Layers;

/// <summary>
/// The producing half of a layer write: tar headers and file content are laid into 1 MiB buffers; a
/// full buffer is written out on this thread and then hashed on the hasher's, so reading and writing
/// one buffer overlap with hashing the previous ones. Content is hashed in whole buffers, never in the
/// small pieces headers and small files come in.
/// </summary>
internal sealed class LayerByteSink : Stream
{
    public const int BufferSize = 1 << 20;

    private readonly OpenLayerDestination output;
    private readonly BufferHasher hasher = new(BufferSize);
    private byte[] current;
    private int used;
    private long handed;

    public LayerByteSink(OpenLayerDestination output)
    {
        this.output = output;
        current = hasher.Rent();
    }

    public long BytesWritten => handed + used;

    /// <summary>Free space of the current buffer, for reading file content straight into it.</summary>
    public Span<byte> FreeSpace()
    {
        if (used == BufferSize)
        {
            Hand();
        }

        return current.AsSpan(used, BufferSize - used);
    }

    /// <summary>Marks <paramref name="count"/> bytes of <see cref="FreeSpace"/> as filled.</summary>
    public void Advance(int count) => used += count;

    public Digest Complete()
    {
        Hand();
        hasher.Return(current);
        current = [];
        return hasher.Complete();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            var space = FreeSpace();
            var n = Math.Min(space.Length, buffer.Length);
            buffer[..n].CopyTo(space);
            used += n;
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
            if (current.Length > 0)
            {
                hasher.Return(current);
                current = [];
            }

            hasher.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Hand()
    {
        if (used == 0)
        {
            return;
        }

        output.Write(current.AsSpan(0, used), handed);
        handed += used;
        hasher.Add(current, used);
        current = [];
        used = 0;
        current = hasher.Rent();
    }
}
