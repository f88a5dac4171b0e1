using System.IO.Pipelines;

namespace LayerBuilder.Registry;

/// <summary>
/// Reads a stream to its end on the calling flow while a reader on another thread takes the same bytes
/// through a bounded pipe (docs/decisions.md D75). A pulled layer goes through two of these: the download
/// (hashed and kept as it is read) hands the compressed bytes to the decompressor, and the decompressor's
/// reading hands the tar to its hashing and writing, so on two cores the three run side by side. The pipe
/// holds at most <see cref="PauseAt"/> bytes, so no layer is ever whole in memory. When the reader stops
/// early (a damaged stream, or the end of the compressed data) the rest is still read, so a digest taken
/// while reading covers every byte.
/// </summary>
internal static class OverlappedHandOver
{
    /// <summary>Bytes the pipe holds before the reading side waits for the taking side.</summary>
    private const long PauseAt = 1 << 20;

    /// <summary>Bytes the pipe drains to before the reading side goes on.</summary>
    private const long ResumeAt = 1 << 19;

    /// <summary>Bytes read at a time, and the pipe's segment size: large enough for few hand-overs, small
    /// enough that what one thread hands on is still in the cache the other reads it from.</summary>
    private const int Chunk = 1 << 16;

    /// <summary>
    /// Reads <paramref name="source"/> to its end while <paramref name="take"/> reads the same bytes on
    /// another thread; returns once both are done, with the taker's task (completed: a result, or the
    /// failure the caller sorts out, for a download after checking the blob's digest). A failure to read
    /// <paramref name="source"/> is thrown after the taker stopped, so no file it writes is still open when
    /// the caller cleans up.
    /// </summary>
    public static async Task<Task<T>> RunAsync<T>(Stream source, Func<PipeReader, CancellationToken, Task<T>> take, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: PauseAt, resumeWriterThreshold: ResumeAt, minimumSegmentSize: Chunk, useSynchronizationContext: false));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var taking = Task.Run(
            async () =>
            {
                try
                {
                    return await take(pipe.Reader, stop.Token).ConfigureAwait(false);
                }
                finally
                {
                    // Tells the reading side to stop handing on, when the taker stopped before the end.
                    await pipe.Reader.CompleteAsync().ConfigureAwait(false);
                }
            },
            CancellationToken.None);

        try
        {
            while (true)
            {
                var read = await source.ReadAsync(pipe.Writer.GetMemory(Chunk), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                pipe.Writer.Advance(read);
                if ((await pipe.Writer.FlushAsync(cancellationToken).ConfigureAwait(false)).IsCompleted)
                {
                    // The taker stopped: the rest is only read (a digest taken while reading covers it all).
                    await source.CopyToAsync(Stream.Null, Chunk, cancellationToken).ConfigureAwait(false);
                    break;
                }
            }

            await pipe.Writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await pipe.Writer.CompleteAsync(e).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await ((Task)taking).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        await ((Task)taking).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return taking;
    }
}
