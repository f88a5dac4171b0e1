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
