using LayerBuilder.FileSystem;

namespace LayerBuilder.Registry;

/// <summary>Passes a response body through, at most <paramref name="limit"/> bytes of it (a registry that sends
/// more than a descriptor's size cannot fill the disk; the short count then fails the size check), telling
/// <paramref name="moved"/> the running byte count every <see cref="Step"/> bytes.</summary>
internal sealed class ProgressStream(Stream inner, long limit, Action<long> moved) : ReadOnlyStream
{
    private const long Step = 1 << 20;

    private long total;
    private long reported;

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer[..Allowed(buffer.Length)]));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Allowed(buffer.Length) == 0 ? 0 : Count(await inner.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken).ConfigureAwait(false));

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

    private int Allowed(int wanted) => (int)Math.Min(wanted, limit - total);

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
