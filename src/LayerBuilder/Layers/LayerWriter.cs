using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Layers;

/// <summary>
/// Streams ordered entries into a layer tar, hashing as it writes: each source file is read once, no
/// layer is ever held in memory (at most a few 1 MiB buffers are in flight). This thread reads content
/// and writes it out; the hash runs on another (<see cref="BufferHasher"/>); small files are read ahead
/// on two more (<see cref="SmallFilePrefetcher"/>).
/// </summary>
internal static class LayerWriter
{
    /// <summary>How a file whose length held but whose times moved since the plan's stat changed.</summary>
    private const string Rewritten = "was rewritten in place (its modification or change time moved)";

    /// <summary>
    /// Writes <paramref name="entries"/> (already in layer order) to a file of its own at
    /// <paramref name="path"/>. <paramref name="written"/> sees each entry as stored, files pointing at
    /// their bytes inside the new layer, so later steps can copy them up without keeping anything else.
    /// </summary>
    public static Task<WrittenTar> WriteAsync(
        string path, IEnumerable<LayerEntry> entries, Action<LayerEntry>? written, CancellationToken cancellationToken) =>
        WriteAsync(path, LayerLocation.At(path), entries, written, null, cancellationToken);

    /// <summary>As above, to <paramref name="destination"/>, with this layer's content addressed through
    /// <paramref name="location"/> for a layer that moves elsewhere (the cache) once written; the caller
    /// completes it.</summary>
    public static Task<WrittenTar> WriteAsync(
        LayerDestination destination, LayerLocation location, IEnumerable<LayerEntry> entries, Action<LayerEntry>? written, Action<long, long>? progress, CancellationToken cancellationToken) =>
        // A thread of its own, not a pool thread: it spends the layer blocked in reads, writes and hand-offs.
        Task.Factory.StartNew(
            () => Write(destination, location, entries, written, progress, cancellationToken),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private static WrittenTar Write(LayerDestination destination, LayerLocation location, IEnumerable<LayerEntry> entries, Action<LayerEntry>? written, Action<long, long>? progress, CancellationToken cancellationToken)
    {
        using var output = new OpenLayerDestination(destination);
        WrittenTar tar;
        using (var sink = new LayerByteSink(output))
        {
            tar = Produce(location, entries, written, progress, sink, cancellationToken);
        }

        output.Commit();
        return tar;
    }

    private static WrittenTar Produce(LayerLocation location, IEnumerable<LayerEntry> entries, Action<LayerEntry>? written, Action<long, long>? progress, LayerByteSink sink, CancellationToken cancellationToken)
    {
        using var prefetch = entries is IReadOnlyList<LayerEntry> list && list.Count > 1 ? new SmallFilePrefetcher(list, cancellationToken) : null;
        long files = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
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
                if (written is not null)
                {
                    stored = entry with { Content = new LayerSliceContent(location, offset, content.Length) };
                }
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
        return new WrittenTar(digest, size);
    }

    private static void CopyPrefetched(SmallFilePrefetcher.Prefetched item, HostFileContent host, LayerEntry entry, LayerByteSink sink)
    {
        try
        {
            if (item.Error is { } error)
            {
                throw Unreadable(host, entry, error);
            }

            if (item.Length != host.Length)
            {
                throw SourceChanged(host, entry, item.Length < host.Length ? "shrank" : "grew");
            }

            if (item.Rewritten)
            {
                throw SourceChanged(host, entry, Rewritten);
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
            var read = input.Read(space[..(int)Math.Min(space.Length, remaining)]);
            if (read == 0)
            {
                throw SourceChanged(content, entry, "shrank");
            }

            sink.Advance(read);
            remaining -= read;
        }

    }

    /// <summary>Host files are read by descriptor and offset: no stream object per file, which counts when
    /// a layer holds 100,000 small files.</summary>
    private static void CopyHostFile(HostFileContent host, LayerEntry entry, LayerByteSink sink, CancellationToken cancellationToken)
    {
        HostFileReader file;
        try
        {
            file = HostFileReader.Open(host.HostPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(host, entry, e);
        }

        using (file)
        {
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
                var read = ReadAt(file, space[..ask], offset, host, entry);
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
            if (!reachedEnd && ReadAt(file, probe, offset, host, entry) > 0)
            {
                throw SourceChanged(host, entry, "grew");
            }

            if (host.Info is { } seen && ChangedSince(file, seen, host, entry))
            {
                throw SourceChanged(host, entry, Rewritten);
            }
        }
    }

    /// <summary>A read of the source whose failure (EIO, a file system gone) is the source's, LB2011.</summary>
    private static int ReadAt(HostFileReader file, Span<byte> into, long offset, HostFileContent host, LayerEntry entry)
    {
        try
        {
            return file.Read(into, offset);
        }
        catch (IOException e)
        {
            throw Unreadable(host, entry, e);
        }
    }

    private static bool ChangedSince(HostFileReader file, HostFileInfo seen, HostFileContent host, LayerEntry entry)
    {
        try
        {
            return file.ChangedSince(seen);
        }
        catch (IOException e)
        {
            throw Unreadable(host, entry, e);
        }
    }

    private static LayerBuildException Unreadable(HostFileContent host, LayerEntry entry, Exception error) =>
        new(DiagnosticCodes.SourceUnreadable, SourcePosition.StartOf(host.HostPath), $"cannot read {host.HostPath} for {entry.Path}: {error.Message}");

    private static LayerBuildException SourceChanged(ContentSource content, LayerEntry entry, string how) =>
        new(DiagnosticCodes.SourceChanged, SourcePosition.StartOf(content is HostFileContent h ? h.HostPath : entry.Path.Value),
            $"the file for {entry.Path} {how} while it was being written into the layer; build again once it is stable");
}
