using System.Security.Cryptography;
using LayerBuilder.Registry;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Registry;

/// <summary>
/// <see cref="OverlappedHandOver"/>, the hand-over of a downloading blob to its decompressor on a second
/// thread (docs/decisions.md D75): every byte reaches the unpacker in order through the bounded pipe; an
/// unpacker that stops early still lets the whole blob be read (its digest must cover every byte); a
/// download that breaks is reported only after the unpacker stopped.
/// </summary>
public sealed class OverlappedHandOverTests
{
    private const int BlobLength = 11 << 20; // several times the pipe's bound

    [Test]
    public async Task Every_byte_reaches_the_unpacker_in_order_while_the_blob_is_read()
    {
        var bytes = RandomNumberGenerator.GetBytes(BlobLength);
        using var blob = new HashingReadStream(new MemoryStream(bytes));

        var unpacked = await OverlappedHandOver.RunAsync(blob, async (pipe, token) =>
        {
            var input = pipe.AsStream();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[12345];
            int read;
            while ((read = await input.ReadAsync(buffer, token)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }, CancellationToken.None);

        Assert.That(unpacked.IsCompletedSuccessfully, Is.True);
        Assert.That(await unpacked, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(bytes))));
        Assert.That(blob.BytesRead, Is.EqualTo(BlobLength));
    }

    [Test]
    public async Task An_unpacker_that_fails_at_once_leaves_the_whole_blob_to_be_read_and_its_failure_to_the_caller()
    {
        using var blob = new HashingReadStream(new MemoryStream(RandomNumberGenerator.GetBytes(BlobLength)));

        var unpacked = await OverlappedHandOver.RunAsync<int>(blob, async (pipe, token) =>
        {
            var head = new byte[16];
            await pipe.AsStream().ReadExactlyAsync(head, token);
            throw new InvalidDataException("not a gzip stream");
        }, CancellationToken.None);

        Assert.That(unpacked.IsFaulted, Is.True);
        Assert.That(unpacked.Exception!.InnerException, Is.TypeOf<InvalidDataException>());
        Assert.That(blob.BytesRead, Is.EqualTo(BlobLength), "the digest of the blob covers every byte the registry sent");
    }

    [Test]
    public void A_download_that_breaks_is_thrown_once_the_unpacker_has_stopped()
    {
        using var blob = new BreakingStream(new MemoryStream(RandomNumberGenerator.GetBytes(BlobLength)), breakAfter: 6 << 20);
        var unpackerDone = false;

        var error = Assert.ThrowsAsync<IOException>(async () => await OverlappedHandOver.RunAsync(blob, async (pipe, token) =>
        {
            try
            {
                await pipe.AsStream().CopyToAsync(Stream.Null, token);
                return 0;
            }
            finally
            {
                unpackerDone = true;
            }
        }, CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("connection reset"));
        Assert.That(unpackerDone, Is.True, "no file the unpacker writes is still open when the caller removes it");
    }

    /// <summary>Fails like a dropped connection once <paramref name="breakAfter"/> bytes were read.</summary>
    private sealed class BreakingStream(Stream inner, long breakAfter) : LayerBuilder.FileSystem.ReadOnlyStream
    {
        private long read;

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer[..Allowed(buffer.Length)]));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken));

        /// <summary>How much of a read of <paramref name="wanted"/> bytes may go through; throws once the break is reached.</summary>
        private int Allowed(int wanted) =>
            read >= breakAfter ? throw new IOException("connection reset by peer") : (int)Math.Min(wanted, breakAfter - read);

        private int Count(int n)
        {
            read += n;
            return n;
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
}
