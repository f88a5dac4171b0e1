using System.Security.Cryptography;
using LayerBuilder.Image;

namespace LayerBuilder.Layers;

/// <summary>
/// A write-only pass-through that hashes (SHA-256) and counts every byte on its way to the inner stream,
/// so a digest is known the moment the last byte is written, without reading anything back.
/// </summary>
internal sealed class HashingStream : Stream
{
    private readonly Stream inner;
    private readonly bool leaveOpen;
    private readonly Action<long>? written;
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private Digest? digest;

    /// <param name="inner">Where the bytes go.</param>
    /// <param name="leaveOpen">Whether disposing this leaves <paramref name="inner"/> open.</param>
    /// <param name="written">Told the count of bytes written so far each time a write has reached
    /// <paramref name="inner"/>: a reader of the same file may read that far.</param>
    public HashingStream(Stream inner, bool leaveOpen = false, Action<long>? written = null)
    {
        this.inner = inner;
        this.leaveOpen = leaveOpen;
        this.written = written;
    }

    public long BytesWritten { get; private set; }

    /// <summary>The digest of everything written; after this, writing is an error.</summary>
    public Digest Complete()
    {
        digest ??= Digest.FromHashBytes(hash.GetHashAndReset());
        return digest.Value;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => BytesWritten;

    public override long Position
    {
        get => BytesWritten;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        EnsureOpenForWrite();
        hash.AppendData(buffer);
        inner.Write(buffer);
        BytesWritten += buffer.Length;
        written?.Invoke(BytesWritten);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureOpenForWrite();
        hash.AppendData(buffer.Span);
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        BytesWritten += buffer.Length;
        written?.Invoke(BytesWritten);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hash.Dispose();
            if (!leaveOpen)
            {
                inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void EnsureOpenForWrite()
    {
        if (digest is not null)
        {
            throw new InvalidOperationException("The digest was already taken; no more bytes can be added.");
        }
    }
}
