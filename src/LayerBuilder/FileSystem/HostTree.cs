namespace LayerBuilder.FileSystem;

/// <summary>
/// Walks host folders without following symlinks, in ordinal order of relative paths so results never
/// depend on the file system's own order, applying a copy's include/exclude globs.
/// </summary>
internal static class HostTree
{
    public static List<HostItem> Walk(string root, IReadOnlyList<Glob> include, IReadOnlyList<Glob> exclude)
    {
        var tree = Listing(root, include, exclude);
        var items = new List<HostItem>(tree.Count);
        foreach (var (folder, member) in tree.Items())
        {
            items.Add(new HostItem(folder.MemberPath(member), folder.RelativeStart, folder.Stat(member).ToInfo()));
        }

        return items;
    }

    /// <summary><see cref="Walk"/> without an object per member: what a copy plans from.</summary>
    internal static WalkedTree Listing(string root, IReadOnlyList<Glob> include, IReadOnlyList<Glob> exclude)
    {
        var tree = FolderWalk.Collect(root, exclude);
        if (include.Count > 0)
        {
            tree.Include(include);
        }

        return tree;
    }

    /// <summary>Expands a host path whose components hold wildcards into the matching paths, sorted.</summary>
    public static List<string> Expand(string pattern)
    {
        var full = Path.GetFullPath(pattern);
        var parts = full.Split(Path.DirectorySeparatorChar);
        var firstWild = Array.FindIndex(parts, Glob.HasWildcards);
        var baseDir = string.Join(Path.DirectorySeparatorChar, parts[..firstWild]);
        if (baseDir.Length == 0)
        {
            baseDir = Path.DirectorySeparatorChar.ToString();
        }

        var glob = Glob.Compile(string.Join('/', parts[firstWild..]));
        if (!Directory.Exists(baseDir))
        {
            return [];
        }

        var depth = parts.Length - firstWild;
        var recursive = parts.AsSpan(firstWild).Contains("**");
        var matches = new List<string>();
        var options = new EnumerationOptions { RecurseSubdirectories = recursive, AttributesToSkip = 0, IgnoreInaccessible = false, MatchType = MatchType.Simple };
        foreach (var path in Directory.EnumerateFileSystemEntries(baseDir, "*", recursive ? options : new EnumerationOptions { RecurseSubdirectories = depth > 1, MaxRecursionDepth = depth - 1, AttributesToSkip = 0 }))
        {
            var rel = Path.GetRelativePath(baseDir, path).Replace(Path.DirectorySeparatorChar, '/');
            if (glob.IsMatch(rel))
            {
                matches.Add(path);
            }
        }

        matches.Sort(StringComparer.Ordinal);
        return matches;
    }
}
