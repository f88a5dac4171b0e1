using System.Buffers;
using System.Threading.Channels;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Layers;

/// <summary>
/// Streams ordered entries into a layer tar file, hashing as it writes: each source file is read once,
/// no layer is ever held in memory (at most a few 1 MiB buffers are in flight). One thread reads
/// content and hashes, another writes; the file gets its final name only once complete.
/// </summary>
public static class LayerWriter
{
    private const int BuffersInFlight = 8;

    /// <summary>
    /// Writes <paramref name="entries"/> (already in layer order) to <paramref name="path"/>.
    /// <paramref name="written"/> sees each entry as stored, files pointing at their bytes inside the new
    /// layer, so later steps can copy them up without keeping anything else.
    /// </summary>
    public static Task<LayerBlob> WriteAsync(
        string path, IEnumerable<LayerEntry> entries, Action<LayerEntry>? written, CancellationToken cancellationToken) =>
        WriteAsync(path, LayerFile.At(path), entries, written, null, cancellationToken);

    /// <summary>As above, with lower-layer content addressed through <paramref name="location"/>, for a
    /// layer that moves elsewhere (the cache) once written; the caller completes it.</summary>
    public static async Task<LayerBlob> WriteAsync(
        string path, LayerFile location, IEnumerable<LayerEntry> entries, Action<LayerEntry>? written, Action<long, long>? progress, CancellationToken cancellationToken)
    {
        var temp = path + ".partial";
        try
        {
            var channel = Channel.CreateBounded<(byte[] Buffer, int Count)>(new BoundedChannelOptions(BuffersInFlight) { SingleReader = true, SingleWriter = true });
            using var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write, FileShare.None);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var writer = Task.Run(
                () =>
                {
                    try
                    {
                        Drain(channel.Reader, handle, stop.Token);
                    }
                    catch
                    {
                        // The reader would otherwise wait forever for room in the channel.
                        stop.Cancel();
                        throw;
                    }
                },
                stop.Token);
            LayerBlob blob;
            try
            {
                blob = await Task.Run(() => Produce(path, location, entries, written, progress, channel.Writer, stop.Token), stop.Token).ConfigureAwait(false);
            }
            catch
            {
                await stop.CancelAsync().ConfigureAwait(false);
                channel.Writer.TryComplete();
                await Task.WhenAny(writer).ConfigureAwait(false);
                if (writer.Exception?.InnerException is IOException failure && !cancellationToken.IsCancellationRequested)
                {
                    // The write failed (a full disk, most likely); that, not the reader's cancellation, is the news.
                    throw new LayerBuildException(DiagnosticCodes.OutputNotWritable, SourcePosition.StartOf(path), $"cannot write a layer to '{path}': {failure.Message}");
                }

                throw;
            }

            await writer.ConfigureAwait(false);
            handle.Close();
            File.Move(temp, path, overwrite: true);
            return blob;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static LayerBlob Produce(string path, LayerFile location, IEnumerable<LayerEntry> entries, Action<LayerEntry>? written, Action<long, long>? progress, ChannelWriter<(byte[], int)> output, CancellationToken cancellationToken)
    {
        using var sink = new LayerByteSink(output, cancellationToken);
        using var prefetch = entries is IReadOnlyList<LayerEntry> list && list.Count > 1 ? new SmallFilePrefetcher(list, cancellationToken) : null;
        long files = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var index = -1;
            foreach (var entry in entries)
            {
                index++;
                cancellationToken.ThrowIfCancellationRequested();
                TarHeaderWriter.WriteHeader(sink, entry);
                var stored = entry;
                if (entry.Kind == EntryKind.File && entry.Content is { } content)
                {
                    var offset = sink.BytesWritten;
                    if (prefetch is not null && SmallFilePrefetcher.Applies(entry))
                    {
                        CopyPrefetched(prefetch.Take(index), (HostFileContent)content, entry, sink);
                    }
                    else
                    {
                        CopyExactly(content, entry, sink, cancellationToken);
                    }

                    TarHeaderWriter.WritePadding(sink, content.Length);
                    stored = entry with { Content = new LayerSliceContent(location, offset, content.Length) };
                }

                written?.Invoke(stored);
                files++;
                if (progress is not null && clock.ElapsedMilliseconds >= 100)
                {
                    progress(files, sink.BytesWritten);
                    clock.Restart();
                }
            }

            TarHeaderWriter.WriteEnd(sink);
            var size = sink.BytesWritten;
            var digest = sink.Complete();
            progress?.Invoke(files, size);
            output.Complete();
            return new LayerBlob(path, digest, size);
        }
        catch (Exception e)
        {
            output.TryComplete(e);
            throw;
        }
    }

    private static void Drain(ChannelReader<(byte[] Buffer, int Count)> input, Microsoft.Win32.SafeHandles.SafeFileHandle handle, CancellationToken cancellationToken)
    {
        long offset = 0;
        while (input.WaitToReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
        {
            while (input.TryRead(out var item))
            {
                try
                {
                    RandomAccess.Write(handle, item.Buffer.AsSpan(0, item.Count), offset);
                    offset += item.Count;
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(item.Buffer);
                }
            }
        }
    }

    private static void CopyPrefetched(SmallFilePrefetcher.Prefetched item, HostFileContent host, LayerEntry entry, LayerByteSink sink)
    {
        try
        {
            if (item.Error is { } error)
            {
                throw new LayerBuildException(DiagnosticCodes.SourceUnreadable, SourcePosition.StartOf(host.HostPath), $"cannot read {host.HostPath} for {entry.Path}: {error.Message}");
            }

            if (item.Length != host.Length)
            {
                throw SourceChanged(host, entry, item.Length < host.Length ? "shrank" : "grew");
            }

            sink.Write(item.Buffer.AsSpan(0, item.Length));
        }
        finally
        {
            item.Return();
        }
    }

    /// <summary>Reads the content straight into the sink's buffers; a size change since planning is an error.</summary>
    private static void CopyExactly(ContentSource content, LayerEntry entry, LayerByteSink sink, CancellationToken cancellationToken)
    {
        if (content is HostFileContent host)
        {
            CopyHostFile(host, entry, sink, cancellationToken);
            return;
        }

        using var input = content.Open();
        var remaining = content.Length;
        while (remaining > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var space = sink.FreeSpace();
            var read = input.Read(space.Span[..(int)Math.Min(space.Length, remaining)]);
            if (read == 0)
            {
                throw SourceChanged(content, entry, "shrank");
            }

            sink.Advance(read);
            remaining -= read;
        }

    }

    /// <summary>Host files are read by handle and offset: no stream object per file, which counts when a
    /// layer holds 100,000 small files.</summary>
    private static void CopyHostFile(HostFileContent host, LayerEntry entry, LayerByteSink sink, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(host.HostPath, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        long offset = 0;
        var reachedEnd = false;
        while (offset < host.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var space = sink.FreeSpace();
            var remaining = host.Length - offset;

            // Ask for one byte more than expected when it fits: a short read then proves the end was
            // reached, so a small file takes one read, and a longer read proves the file grew.
            var ask = (int)Math.Min(space.Length, remaining + 1);
            var read = RandomAccess.Read(handle, space.Span[..ask], offset);
            if (read == 0)
            {
                throw SourceChanged(host, entry, "shrank");
            }

            if (read > remaining)
            {
                throw SourceChanged(host, entry, "grew");
            }

            sink.Advance(read);
            offset += read;
            reachedEnd = ask > remaining;
        }

        Span<byte> probe = stackalloc byte[1];
        if (!reachedEnd && RandomAccess.Read(handle, probe, offset) > 0)
        {
            throw SourceChanged(host, entry, "grew");
        }
    }

    private static LayerBuildException SourceChanged(ContentSource content, LayerEntry entry, string how) =>
        new(DiagnosticCodes.SourceChanged, SourcePosition.StartOf(content is HostFileContent h ? h.HostPath : entry.Path.Value),
            $"the file for {entry.Path} {how} while it was being written into the layer; build again once it is stable");
}
