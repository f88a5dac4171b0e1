using System.Security.Cryptography;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;

namespace LayerBuilder.Reading;

/// <summary>Hashes and counts the bytes read through it, so a blob's digest and size come from the one
/// pass that also decompresses and parses it. It cannot seek: a reader above must read every byte.</summary>
internal sealed class HashingReadStream(Stream inner) : ReadOnlyStream
{
    private const int DrainBuffer = 1 << 16;

    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long BytesRead { get; private set; }

    /// <summary>Reads what is left, then gives the digest of every byte.</summary>
    public async Task<Digest> CompleteAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[DrainBuffer];
        while (await ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
        {
        }

        return Digest.FromHashBytes(hash.GetHashAndReset());
    }

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Add(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Add(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Add(ReadOnlySpan<byte> bytes)
    {
        hash.AppendData(bytes);
        BytesRead += bytes.Length;
    }
}
