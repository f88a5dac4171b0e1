using LayerBuilder.FileSystem;

namespace LayerBuilder.Layers;

/// <summary>
/// Where each file's bytes sit inside a layer, computed from the entries alone (headers are
/// deterministic), so a layer taken from the cache can serve copy-ups without being read.
/// </summary>
public static class LayerOffsets
{
    /// <summary>The entries as stored in the layer, files pointing at their bytes inside it, and the
    /// length of the whole layer tar (known before a byte is written, since headers are deterministic).</summary>
    public static IReadOnlyList<LayerEntry> Stored(IReadOnlyList<LayerEntry> entries, LayerFile layerFile, out long tarLength)
    {
        var stored = new List<LayerEntry>(entries.Count);
        using var counter = new CountingStream();
        foreach (var entry in entries)
        {
            TarHeaderWriter.WriteHeader(counter, entry);
            if (entry.Kind == EntryKind.File && entry.Content is { } content)
            {
                var offset = counter.Length;
                counter.Skip(content.Length);
                TarHeaderWriter.WritePadding(counter, content.Length);
                stored.Add(entry with { Content = new LayerSliceContent(layerFile, offset, content.Length) });
            }
            else
            {
                stored.Add(entry);
            }
        }

        TarHeaderWriter.WriteEnd(counter);
        tarLength = counter.Length;
        return stored;
    }

    private sealed class CountingStream : Stream
    {
        private long length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => length;

        public override long Position
        {
            get => length;
            set => throw new NotSupportedException();
        }

        public void Skip(long count) => length += count;

        public override void Write(byte[] buffer, int offset, int count) => length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => length += buffer.Length;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
