using System.Security.Cryptography;

namespace LayerBuilder.Tests.Support;

/// <summary>Passes reads through and hashes every byte that goes by, so a test can parse a stream and
/// take its sha256 in the same single pass.</summary>
internal sealed class HashingReadStream(Stream inner) : LayerBuilder.FileSystem.ReadOnlyStream
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long BytesRead { get; private set; }

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    /// <summary>Reads what is left, then returns "sha256:hex" of everything read.</summary>
    public string Finish()
    {
        var buffer = new byte[1 << 20];
        while (Read(buffer, 0, buffer.Length) > 0)
        {
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        hash.AppendData(buffer[..read]);
        BytesRead += read;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
