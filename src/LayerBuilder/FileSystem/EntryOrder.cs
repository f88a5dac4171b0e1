namespace LayerBuilder.FileSystem;

/// <summary>
/// The one order entries are written in, so layers reproduce on every machine: component by component,
/// a folder before its children, and inside a folder its opaque marker first, then whiteouts, then the
/// rest in ordinal (byte) order. Whiteouts before siblings is what image-spec layer.md asks producers for.
/// </summary>
public sealed class EntryOrder : IComparer<LayerEntry>
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
        var a = SortKey(x);
        var b = SortKey(y);
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            if (a[i] == b[i])
            {
                continue;
            }

            var rank = Rank(a[i]).CompareTo(Rank(b[i]));
            return rank != 0 ? rank : string.CompareOrdinal(a[i], b[i]);
        }

        return a.Length.CompareTo(b.Length);
    }

    private static string[] SortKey(LayerEntry e) => e.Kind switch
    {
        EntryKind.Whiteout => [.. e.Path.Parent.Components(), ".wh." + e.Path.Name],
        EntryKind.OpaqueWhiteout => [.. e.Path.Components(), ".wh..wh..opq"],
        _ => e.Path.Components(),
    };

    private static int Rank(string component) =>
        component == ".wh..wh..opq" ? 0 : component.StartsWith(".wh.", StringComparison.Ordinal) ? 1 : 2;
}
