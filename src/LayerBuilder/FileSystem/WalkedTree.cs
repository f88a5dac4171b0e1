namespace LayerBuilder.FileSystem;

/// <summary>
/// What a walk of one host folder found, kept folder by folder (<see cref="FolderListing"/>), and handed
/// out member by member in walk order: a folder's members sorted by name, each subfolder followed by its
/// own. An include filter keeps what it matches and the folders leading there.
/// </summary>
internal sealed class WalkedTree
{
    private readonly FolderListing top;
    private HashSet<string>? kept;

    public WalkedTree(FolderListing top, int count)
    {
        this.top = top;
        Count = count;
    }

    /// <summary>The members handed out by <see cref="Items"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Keeps only what one of <paramref name="include"/> matches, plus the folders that lead to it.</summary>
    public void Include(IReadOnlyList<Glob> include)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (folder, member) in Items())
        {
            var relative = folder.RelativePath(member);
            if (!include.Any(g => g.IsMatch(relative)))
            {
                continue;
            }

            keep.Add(relative);
            for (var slash = relative.IndexOf('/'); slash > 0; slash = relative.IndexOf('/', slash + 1))
            {
                keep.Add(relative[..slash]);
            }
        }

        kept = keep;
        Count = keep.Count;
    }

    /// <summary>Every member, in walk order.</summary>
    public IEnumerable<(FolderListing Folder, int Member)> Items()
    {
        var stack = new Stack<(FolderListing, int)>();
        var folder = top;
        var next = 0;
        while (true)
        {
            if (next == folder.Count)
            {
                if (stack.Count == 0)
                {
                    yield break;
                }

                (folder, next) = stack.Pop();
                continue;
            }

            var member = next++;
            if (kept is null || kept.Contains(folder.RelativePath(member)))
            {
                yield return (folder, member);
            }

            if (folder.Subfolders?.GetValueOrDefault(member) is { } below)
            {
                stack.Push((folder, next));
                folder = below;
                next = 0;
            }
        }
    }
}
