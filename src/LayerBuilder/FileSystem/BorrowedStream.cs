namespace LayerBuilder.FileSystem;

/// <summary>A read-only view of another stream. Disposing it leaves that stream open (a tar entry's data
/// belongs to the reader walking the archive) and disposes only <paramref name="owner"/>, if given.</summary>
internal sealed class BorrowedStream(Stream inner, IDisposable? owner = null) : ReadOnlyStream
{
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            owner?.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>The data of the tar entry a reader is positioned on; valid until the reader moves on,
/// which is exactly as long as the layer writer needs it.</summary>
internal sealed record BorrowedContent(Stream Data, long Length) : ContentSource(Length)
{
    public override Stream Open() => new BorrowedStream(Data);
}
