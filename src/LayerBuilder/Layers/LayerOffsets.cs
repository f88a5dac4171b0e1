using LayerBuilder.FileSystem;

namespace LayerBuilder.Layers;

/// <summary>
/// Where each file's bytes sit inside a layer, computed from the entries alone (headers are
/// deterministic), so a layer taken from the cache can serve copy-ups without being read, and so the
/// length of a layer is known before a byte of it is written.
/// </summary>
internal static class LayerOffsets
{
    /// <summary>The entries as stored in the layer, files pointing at their bytes inside it, and the
    /// length of the whole layer tar.</summary>
    public static IReadOnlyList<LayerEntry> Stored(IReadOnlyList<LayerEntry> entries, LayerLocation location, out long tarLength)
    {
        var stored = new List<LayerEntry>(entries.Count);
        long offset = 0;
        foreach (var entry in entries)
        {
            offset += TarHeaderWriter.HeaderLength(entry);
            if (entry.Kind == EntryKind.File && entry.Content is { } content)
            {
                stored.Add(entry with { Content = new LayerSliceContent(location, offset, content.Length) { Planned = content } });
                offset += Padded(content.Length);
            }
            else
            {
                stored.Add(entry);
            }
        }

        tarLength = offset + (2 * TarHeaderWriter.BlockSize);
        return stored;
    }

    /// <summary>The length of the layer tar these entries make.</summary>
    public static long TarLength(IReadOnlyList<LayerEntry> entries)
    {
        long offset = 0;
        foreach (var entry in entries)
        {
            offset += TarHeaderWriter.HeaderLength(entry);
            if (entry.Kind == EntryKind.File && entry.Content is { } content)
            {
                offset += Padded(content.Length);
            }
        }

        return offset + (2 * TarHeaderWriter.BlockSize);
    }

    private static long Padded(long length) => TarHeaderWriter.PaddedLength(length);
}
