namespace LayerBuilder.FileSystem;

/// <summary>
/// <see cref="EntryOrder"/> for entries that are not whiteouts and have no ".wh." name in their path,
/// without building keys. Every component of such a path ranks the same, so the entry key is the
/// path with each '/' turned into NUL plus that rank; that substitution keeps ordinal order as long as
/// the path has no NUL of its own, so comparing paths with '/' below every other character gives the
/// same order as comparing keys.
/// </summary>
internal sealed class PlainPathOrder : IComparer<LayerEntry>
{
    public static PlainPathOrder Instance { get; } = new();

    /// <summary>Whether <paramref name="entry"/> sorts the same by this order as by its entry key.</summary>
    public static bool Covers(LayerEntry entry) =>
        entry.Kind is not (EntryKind.Whiteout or EntryKind.OpaqueWhiteout) &&
        !entry.Path.Value.Contains('\0') &&
        !entry.Path.Value.Contains("/.wh.", StringComparison.Ordinal);

    public static bool IsSorted(List<LayerEntry> entries)
    {
        for (var i = 1; i < entries.Count; i++)
        {
            if (Instance.Compare(entries[i - 1], entries[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    public int Compare(LayerEntry? x, LayerEntry? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return Compare(x.Path.Value, y.Path.Value);
    }

    /// <summary>Two paths (or folder paths) in this order.</summary>
    public static int Compare(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var common = a.CommonPrefixLength(b);
        if (common == a.Length || common == b.Length)
        {
            return a.Length - b.Length; // a path sorts before every path it is a prefix of
        }

        return Rank(a[common]) - Rank(b[common]);
    }

    /// <summary>'/' below every character, the rest in ordinal (UTF-16 code unit) order.</summary>
    private static int Rank(char c) => c == '/' ? -1 : c;
}
