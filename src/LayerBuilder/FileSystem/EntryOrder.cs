using System.Text;

namespace LayerBuilder.FileSystem;

/// <summary>
/// The one order entries are written in, so layers reproduce on every machine: component by component,
/// a folder before its children, and inside a folder its opaque marker first, then whiteouts, then the
/// rest in ordinal (byte) order. Whiteouts before siblings is what image-spec layer.md asks producers for.
/// </summary>
internal sealed class EntryOrder : IComparer<LayerEntry>
{
    public static EntryOrder Instance { get; } = new();

    public int Compare(LayerEntry? x, LayerEntry? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return string.CompareOrdinal(Key(x), Key(y));
    }

    /// <summary>Sorts in place, computing each entry's key once (a layer may hold 100,000 entries).</summary>
    public static void Sort(List<LayerEntry> entries)
    {
        if (entries.TrueForAll(PlainPathOrder.Covers))
        {
            // No whiteout anywhere (the common case): paths compare directly, without a key per entry,
            // and a list that is in order already (a copied folder is walked in order) is left as it is.
            if (!PlainPathOrder.IsSorted(entries))
            {
                entries.Sort(PlainPathOrder.Instance);
            }

            return;
        }

        var keys = new string[entries.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = Key(entries[i]);
        }

        var items = entries.ToArray();
        Array.Sort(keys, items, StringComparer.Ordinal);
        entries.Clear();
        entries.AddRange(items);
    }

    /// <summary>
    /// A string whose ordinal order is the entry order: each component is prefixed by its rank (opaque
    /// marker 1, whiteout 2, anything else 3) and components are joined by NUL, which sorts before every
    /// rank, so a folder precedes its children and "a/…" precedes "ab".
    /// </summary>
    public static string Key(LayerEntry entry)
    {
        var value = entry.Path.Value;
        if (entry.Kind is not (EntryKind.Whiteout or EntryKind.OpaqueWhiteout) && !value.Contains("/.wh.", StringComparison.Ordinal))
        {
            // Every component ranks 3: the key is the path with each '/' turned into NUL + rank.
            return entry.Path.IsRoot ? "" : "\u0003" + value[1..].Replace("/", "\u0000\u0003", StringComparison.Ordinal);
        }

        var key = new StringBuilder(entry.Path.Value.Length + 16);
        var components = entry.Path.Components();
        var last = entry.Kind switch
        {
            EntryKind.Whiteout => components.Length - 1,
            _ => components.Length,
        };
        for (var i = 0; i < last; i++)
        {
            Append(key, components[i]);
        }

        switch (entry.Kind)
        {
            case EntryKind.Whiteout:
                Append(key, WhiteoutNames.Of(entry.Path.Name));
                break;
            case EntryKind.OpaqueWhiteout:
                Append(key, WhiteoutNames.Opaque);
                break;
        }

        return key.ToString();
    }

    private static void Append(StringBuilder key, string component)
    {
        if (key.Length > 0)
        {
            key.Append('\0');
        }

        key.Append(component == WhiteoutNames.Opaque ? '\u0001' : WhiteoutNames.IsWhiteout(component) ? '\u0002' : '\u0003');
        key.Append(component);
    }
}
