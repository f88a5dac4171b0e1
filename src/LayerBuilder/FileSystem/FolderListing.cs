using System.Text;

namespace LayerBuilder.FileSystem;

/// <summary>
/// One walked host folder: its members' names, sorted, in one string and their stats in one array, so a
/// folder of 1,000 files is a handful of objects rather than thousands (docs/performance.md). Member
/// paths are made only when asked for. Filled by one walk thread, then read-only.
/// </summary>
internal sealed class FolderListing
{
    private StringBuilder? pending = new();
    private List<HostStat>? pendingStats = [];
    private List<int>? pendingEnds = [];
    private string names = "";
    private int[] ends = [];
    private HostStat[] stats = [];

    /// <param name="hostPath">The folder's full host path.</param>
    /// <param name="relativeStart">Where, in its members' full paths, the part relative to the walked root starts.</param>
    public FolderListing(string hostPath, int relativeStart)
    {
        HostPath = hostPath;
        RelativeStart = relativeStart;
    }

    public string HostPath { get; }

    public int RelativeStart { get; }

    public int Count => ends.Length;

    /// <summary>Subfolders by member index, walked after this folder.</summary>
    public Dictionary<int, FolderListing>? Subfolders { get; set; }

    /// <summary>What stopped the listing of this folder, raised when a walk reaches it.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Members added so far (while the folder is read).</summary>
    public int Added => pendingStats?.Count ?? Count;

    public void Add(ReadOnlySpan<char> name, HostFileInfo info)
    {
        pending!.Append(name);
        pendingEnds!.Add(pending.Length);
        pendingStats!.Add(new HostStat(info));
    }

    /// <summary>Ends the reading: names and stats move to arrays of their exact size.</summary>
    public void Seal()
    {
        if (pending is null || pendingStats is null || pendingEnds is null)
        {
            return;
        }

        names = pending.ToString();
        stats = [.. pendingStats];
        ends = [.. pendingEnds];
        pending = null;
        pendingStats = null;
        pendingEnds = null;
    }

    public ReadOnlySpan<char> Name(int member) => names.AsSpan(Start(member), ends[member] - Start(member));

    public ref readonly HostStat Stat(int member) => ref stats[member];

    /// <summary>The member's full host path (a new string).</summary>
    public string MemberPath(int member) => Path.Join(HostPath.AsSpan(), Name(member));

    /// <summary>The member's path relative to the walked root, '/'-separated (a new string).</summary>
    public string RelativePath(int member) => HostItem.ToSlashes(MemberPath(member).AsSpan(RelativeStart));

    private int Start(int member) => member == 0 ? 0 : ends[member - 1];
}
