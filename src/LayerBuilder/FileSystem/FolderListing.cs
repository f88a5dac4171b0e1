namespace LayerBuilder.FileSystem;

/// <summary>
/// One walked host folder: its members' names, sorted, in one string and their stats in one array, so a
/// folder of 1,000 files is a handful of objects rather than thousands (docs/performance.md). Member
/// paths are made only when asked for. Filled by one walk thread, then read-only.
/// </summary>
internal sealed class FolderListing
{
    private char[] names = [];
    private int[] ends = [];
    private HostStat[] stats = [];
    private int count;

    /// <param name="hostPath">The folder's full host path.</param>
    /// <param name="relativeStart">Where, in its members' full paths, the part relative to the walked root starts.</param>
    public FolderListing(string hostPath, int relativeStart)
    {
        HostPath = hostPath;
        RelativeStart = relativeStart;
    }

    public string HostPath { get; }

    public int RelativeStart { get; }

    public int Count => count;

    /// <summary>Subfolders by member index, walked after this folder.</summary>
    public Dictionary<int, FolderListing>? Subfolders { get; set; }

    /// <summary>What stopped the listing of this folder, raised when a walk reaches it.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Makes room, at their exact size, for <paramref name="members"/> members whose names are
    /// <paramref name="nameChars"/> characters in all: nothing is copied or left over as the folder is read.</summary>
    /// <remarks>The arrays go to the pinned object heap, which is never compacted. A listing lives from the
    /// walk until its layer is written; in the ordinary heap its arrays were copied at each promotion and the
    /// regions they left stayed committed: a million-file copy peaked at 243-256 MB, with them pinned at
    /// 147 MB (docs/decisions.md D55).</remarks>
    public void Expect(int members, int nameChars)
    {
        names = GC.AllocateUninitializedArray<char>(nameChars, pinned: true);
        ends = GC.AllocateUninitializedArray<int>(members, pinned: true);
        stats = GC.AllocateUninitializedArray<HostStat>(members, pinned: true);
    }

    public void Add(ReadOnlySpan<char> name, in HostStat stat)
    {
        var start = Start(count);
        name.CopyTo(names.AsSpan(start));
        ends[count] = start + name.Length;
        stats[count] = stat;
        count++;
    }

    /// <summary>Ends the reading; members excluded or not reached leave no room behind.</summary>
    public void Seal()
    {
        if (count < ends.Length)
        {
            Array.Resize(ref names, Start(count));
            Array.Resize(ref ends, count);
            Array.Resize(ref stats, count);
        }
    }

    public ReadOnlySpan<char> Name(int member) => names.AsSpan(Start(member), ends[member] - Start(member));

    public ref readonly HostStat Stat(int member) => ref stats[member];

    /// <summary>The member's full host path (a new string).</summary>
    public string MemberPath(int member) => Path.Join(HostPath.AsSpan(), Name(member));

    /// <summary>The member's path relative to the walked root, '/'-separated (a new string).</summary>
    public string RelativePath(int member) => HostItem.ToSlashes(MemberPath(member).AsSpan(RelativeStart));

    private int Start(int member) => member == 0 ? 0 : ends[member - 1];
}
