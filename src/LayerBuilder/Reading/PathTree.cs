namespace LayerBuilder.Reading;

/// <summary>
/// Paths with a value, ordered so that a folder's descendants follow it in one run (<c>/</c> sorts before
/// every other character): removing a folder's subtree, as a whiteout or an opaque marker does, touches
/// only what it removes.
/// </summary>
internal sealed class PathTree<T>
{
    private const string Root = ".";

    private readonly Dictionary<string, T> values = new(StringComparer.Ordinal);
    private readonly SortedSet<string> order = new(TreeOrder.Instance);

    public bool TryGet(string path, out T value) => values.TryGetValue(path, out value!);

    public void Set(string path, T value)
    {
        values[path] = value;
        order.Add(path);
    }

    /// <summary>Removes <paramref name="path"/> and everything beneath it.</summary>
    public void Remove(string path)
    {
        RemoveBeneath(path);
        values.Remove(path);
        order.Remove(path);
    }

    /// <summary>Removes everything beneath the folder <paramref name="path"/>, the folder itself stays.</summary>
    public void RemoveBeneath(string path)
    {
        List<string> doomed = path == Root
            ? order.Where(p => p != Root).ToList()
            : [.. order.GetViewBetween(path + "/", path + "\0")];
        foreach (var p in doomed)
        {
            values.Remove(p);
            order.Remove(p);
        }
    }

    /// <summary>Every value, sorted by path (ordinal).</summary>
    public IReadOnlyList<T> SortedByPath() =>
        values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value).ToList();

    /// <summary>Ordinal order, except that <c>/</c> comes before every other character: <c>a</c>,
    /// <c>a/b</c>, <c>a/c</c>, <c>a-b</c>. A folder's descendants lie between <c>folder/</c> and
    /// <c>folder\0</c>, which no tar name holds.</summary>
    private sealed class TreeOrder : IComparer<string>
    {
        public static readonly TreeOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var a = x.AsSpan();
            var b = y.AsSpan();
            var common = Math.Min(a.Length, b.Length);
            for (var i = 0; i < common; i++)
            {
                if (a[i] != b[i])
                {
                    return Rank(a[i]).CompareTo(Rank(b[i]));
                }
            }

            return a.Length.CompareTo(b.Length);
        }

        private static int Rank(char c) => c == '/' ? -1 : c;
    }
}
