using LayerBuilder.FileSystem;

namespace LayerBuilder.Layers;

/// <summary>
/// Where each file's bytes sit inside a layer, computed from the entries alone (headers are
/// deterministic), so a layer taken from the cache can serve copy-ups without being read, and so the
/// length of a layer is known before a byte of it is written.
/// </summary>
internal static class LayerOffsets
{
    /// <summary>Hands each entry, as stored in the layer (files pointing at their bytes inside it), to
    /// <paramref name="stored"/> one at a time, keeping none; returns the length of the whole layer tar.</summary>
    public static long Store(IReadOnlyList<LayerEntry> entries, LayerLocation location, Action<LayerEntry> stored)
    {
        long offset = 0;
        foreach (var entry in entries)
        {
            offset += TarHeaderWriter.HeaderLength(entry);
            if (entry.Kind == EntryKind.File && entry.Content is { } content)
            {
                stored(entry with { Content = new LayerSliceContent(location, offset, content.Length) { Planned = content } });
                offset += Padded(content.Length);
            }
            else
            {
                stored(entry);
            }
        }

        return offset + (2 * TarHeaderWriter.BlockSize);
    }

    /// <summary>Entries from which <see cref="TarLength"/> measures on two threads: below it a second
    /// thread costs more than it saves.</summary>
    private const int SplitFrom = 1 << 16;

    /// <summary>The length of the layer tar these entries make.</summary>
    /// <remarks>A large list is measured in two halves at once: the plan runs on one thread and the other
    /// core has nothing else to do then, and a packed plan makes each entry as it is read (a million
    /// entries: about 0.1 s on one core; D77). The list must allow reads from two threads.</remarks>
    public static long TarLength(IReadOnlyList<LayerEntry> entries)
    {
        var count = entries.Count;
        if (count < SplitFrom || Environment.ProcessorCount < 2)
        {
            return Measure(entries, 0, count) + (2 * TarHeaderWriter.BlockSize);
        }

        var half = count / 2;
        var first = Task.Run(() => Measure(entries, 0, half));
        var second = Measure(entries, half, count);
        return first.GetAwaiter().GetResult() + second + (2 * TarHeaderWriter.BlockSize);
    }

    /// <summary>The bytes of entries <paramref name="from"/> up to <paramref name="to"/>: headers, content, padding.</summary>
    private static long Measure(IReadOnlyList<LayerEntry> entries, int from, int to)
    {
        long length = 0;
        for (var i = from; i < to; i++)
        {
            var entry = entries[i];
            length += TarHeaderWriter.HeaderLength(entry);
            if (entry.Kind == EntryKind.File && entry.Content is { } content)
            {
                length += Padded(content.Length);
            }
        }

        return length;
    }

    private static long Padded(long length) => TarHeaderWriter.PaddedLength(length);
}
