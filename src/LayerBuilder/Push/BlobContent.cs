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

    private readonly ILayer blob;
    private readonly long offset;
    private readonly long length;
    private readonly IProgress<BlobProgress>? progress;
    private readonly Stopwatch clock;

    public BlobContent(ILayer blob, long offset, long length, IProgress<BlobProgress>? progress, Stopwatch clock)
    {
        this.blob = blob;
        this.offset = offset;
        this.length = length;
        this.progress = progress;
        this.clock = clock;
        Headers.ContentType = new("application/octet-stream");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var input = await blob.OpenBlobAsync(cancellationToken).ConfigureAwait(false);
            await SkipAsync(input, buffer, cancellationToken).ConfigureAwait(false);
            var lastReport = TimeSpan.Zero;
            long sent = 0;
            while (sent < length)
            {
                var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - sent)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException($"blob {blob.Digest} ended at {offset + sent} of its {blob.Size} bytes while it was pushed");
                }

                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                sent += read;
                if (progress is not null && clock.Elapsed - lastReport >= ReportEvery)
                {
                    lastReport = clock.Elapsed;
                    progress.Report(new BlobProgress(blob.Digest, offset + sent, blob.Size, BlobPushState.Uploading, clock.Elapsed));
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
                throw new IOException($"blob {blob.Digest} ended at {skipped} of its {blob.Size} bytes while it was pushed");
            }

            skipped += read;
        }
    }
}
