using System.IO.Enumeration;

namespace LayerBuilder.FileSystem;

/// <summary>
/// The member names of one folder as a directory read returns them, in one reused character buffer,
/// and their order by name: the walk copies each name once into its <see cref="FolderListing"/> and
/// makes no string per member (a million-file walk made and sorted a million full paths; D77).
/// One per walk thread, cleared for each folder.
/// </summary>
internal sealed class MemberNames : IComparer<int>
{
    private const int FirstChars = 4096;
    private const int FirstMembers = 256;

    private char[] chars = new char[FirstChars];
    private int[] ends = new int[FirstMembers];
    private int[] order = new int[FirstMembers];
    private int count;

    public int Count => count;

    /// <summary>The characters of all names together.</summary>
    public int TotalChars => count == 0 ? 0 : ends[count - 1];

    public void Clear() => count = 0;

    /// <summary>Keeps the entry's name; shaped as a <see cref="FileSystemEnumerable{TResult}.FindTransform"/>.</summary>
    public bool Add(ref FileSystemEntry entry)
    {
        Add(entry.FileName);
        return true;
    }

    public void Add(ReadOnlySpan<char> name)
    {
        var start = TotalChars;
        if (start + name.Length > chars.Length)
        {
            Array.Resize(ref chars, Math.Max(chars.Length * 2, start + name.Length));
        }

        if (count == ends.Length)
        {
            Array.Resize(ref ends, ends.Length * 2);
        }

        name.CopyTo(chars.AsSpan(start));
        ends[count++] = start + name.Length;
    }

    public ReadOnlySpan<char> Name(int member)
    {
        var start = member == 0 ? 0 : ends[member - 1];
        return chars.AsSpan(start, ends[member] - start);
    }

    /// <summary>The members' numbers by name, ordinal (as the full paths of one folder's members sort).</summary>
    public ReadOnlySpan<int> Sorted()
    {
        if (order.Length < count)
        {
            order = new int[ends.Length];
        }

        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, 0, count, this);
        return order.AsSpan(0, count);
    }

    public int Compare(int x, int y) => Name(x).SequenceCompareTo(Name(y));
}
