using LayerBuilder.FileSystem;

namespace LayerBuilder.Reading;

/// <summary>Writes every byte read through it into <paramref name="copy"/> as well, so a pulled layer's
/// compressed blob is kept from the same pass that decompresses it (docs/decisions.md D60). Disposing it
/// disposes the stream it reads, not the copy.</summary>
internal sealed class CopyingReadStream(Stream inner, Stream copy) : ReadOnlyStream
{
    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        copy.Write(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        await copy.WriteAsync(buffer[..read], cancellationToken).ConfigureAwait(false);
        return read;
    }

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
}
