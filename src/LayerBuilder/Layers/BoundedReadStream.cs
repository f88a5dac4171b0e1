using LayerBuilder.FileSystem;
namespace LayerBuilder.Layers;

/// <summary>A read-only view of the next <c>length</c> bytes of a stream (a layer inside a larger
/// file); it owns the inner stream.</summary>
internal sealed class BoundedReadStream(Stream inner, long length) : ReadOnlyStream
{
    private readonly long total = length;
    private long remaining = length;

    public override long Length => total;

    public override long Position
    {
        get => total - remaining;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        if (remaining == 0)
        {
            return 0;
        }

        var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, remaining)]);
        remaining -= read;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
