using LayerBuilder.FileSystem;
namespace LayerBuilder.Reading;

/// <summary>Gives back bytes already read from a stream (its magic bytes), then the rest of it: the
/// compression of a member inside an archive is told from its first bytes without seeking.</summary>
internal sealed class PrefixedStream(byte[] prefix, Stream rest) : ReadOnlyStream
{
    private int given;

    public override int Read(Span<byte> buffer)
    {
        if (given < prefix.Length && buffer.Length > 0)
        {
            var count = Math.Min(buffer.Length, prefix.Length - given);
            prefix.AsSpan(given, count).CopyTo(buffer);
            given += count;
            return count;
        }

        return rest.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (given < prefix.Length && buffer.Length > 0)
        {
            return Read(buffer.Span);
        }

        return await rest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            rest.Dispose();
        }

        base.Dispose(disposing);
    }
}
