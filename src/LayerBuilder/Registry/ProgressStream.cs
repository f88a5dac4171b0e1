using LayerBuilder.FileSystem;

namespace LayerBuilder.Registry;

/// <summary>Passes a response body through, telling <paramref name="moved"/> the running byte count
/// every <see cref="Step"/> bytes, so progress costs nothing per read.</summary>
internal sealed class ProgressStream(Stream inner, Action<long> moved) : ReadOnlyStream
{
    private const long Step = 1 << 20;

    private long total;
    private long reported;

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        total += read;
        if (total - reported >= Step)
        {
            reported = total;
            moved(total);
        }

        return read;
    }
}
