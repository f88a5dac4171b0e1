using System.Buffers;
using System.Diagnostics;
using System.Net;
using LayerBuilder.Image;

namespace LayerBuilder.Push;

/// <summary>
/// An HTTP body that is a slice of a blob (the whole blob for a monolithic upload, one chunk of it for a
/// PATCH), read from the blob as it is sent: never whole in memory. Every send opens the blob afresh, so a
/// request repeated (after a 401, or a retry) sends the same bytes again.
/// </summary>
internal sealed class BlobContent : HttpContent
{
    private const int BufferSize = 1 << 20;

    /// <summary>At most this often a progress report, so a fast upload does not flood the display.</summary>
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(100);

    private readonly Func<CancellationToken, Task<Stream>> open;
    private readonly string name;
    private readonly long offset;
    private readonly long length;
    private readonly Action<long>? sent;
    private readonly Stopwatch clock = Stopwatch.StartNew();

    /// <param name="blob">The blob, opened afresh for every send.</param>
    /// <param name="offset">Where the slice starts in the blob.</param>
    /// <param name="length">How many bytes the slice has.</param>
    /// <param name="sent">Told how many bytes of the blob have gone (counting from its first byte), now and then.</param>
    public BlobContent(ILayer blob, long offset, long length, Action<long>? sent)
        : this(blob.OpenBlobAsync, $"blob {blob.Digest}", offset, length, sent)
    {
    }

    /// <param name="open">Opens the bytes afresh, from their first, for every send.</param>
    /// <param name="name">What errors call the bytes.</param>
    /// <param name="offset">Where the slice starts.</param>
    /// <param name="length">How many bytes the slice has.</param>
    /// <param name="sent">Told how many bytes have gone (counting from the first), now and then.</param>
    public BlobContent(Func<CancellationToken, Task<Stream>> open, string name, long offset, long length, Action<long>? sent)
    {
        this.open = open;
        this.name = name;
        this.offset = offset;
        this.length = length;
        this.sent = sent;
        Headers.ContentType = new("application/octet-stream");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var input = await open(cancellationToken).ConfigureAwait(false);
            await SkipAsync(input, buffer, cancellationToken).ConfigureAwait(false);
            var lastReport = TimeSpan.Zero;
            long done = 0;
            while (done < length)
            {
                var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - done)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException($"{name} ended at {offset + done} bytes, short of the {offset + length} to send, while it was pushed");
                }

                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                done += read;
                if (sent is not null && clock.Elapsed - lastReport >= ReportEvery)
                {
                    lastReport = clock.Elapsed;
                    sent(offset + done);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = this.length;
        return true;
    }

    /// <summary>Moves to the slice's start: a seek where the blob allows one, otherwise by reading.</summary>
    private async Task SkipAsync(Stream input, byte[] buffer, CancellationToken cancellationToken)
    {
        if (offset == 0)
        {
            return;
        }

        if (input.CanSeek)
        {
            input.Position = offset;
            return;
        }

        long skipped = 0;
        while (skipped < offset)
        {
            var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, offset - skipped)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"{name} ended at {skipped} bytes, short of the {offset} to skip, while it was pushed");
            }

            skipped += read;
        }
    }
}
