using System.IO.Enumeration;

namespace LayerBuilder.FileSystem;

/// <summary>
/// Walks host folders without following symlinks, in ordinal order of relative paths so results never
/// depend on the file system's own order, applying a copy's include/exclude globs.
/// </summary>
public static class HostTree
{
    public static List<HostItem> Walk(string root, IReadOnlyList<Glob> include, IReadOnlyList<Glob> exclude)
    {
        var all = new List<HostItem>();
        Collect(root, RelativeStart(root), all, exclude);
        if (include.Count == 0)
        {
            return all;
        }

        // Keep what an include matches, plus the folders that lead to it.
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in all.Where(i => include.Any(g => g.IsMatch(i.RelativePath))))
        {
            kept.Add(item.RelativePath);
            for (var slash = item.RelativePath.IndexOf('/'); slash > 0; slash = item.RelativePath.IndexOf('/', slash + 1))
            {
                kept.Add(item.RelativePath[..slash]);
            }
        }

        return all.Where(i => kept.Contains(i.RelativePath)).ToList();
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

    private static readonly EnumerationOptions Members = new() { AttributesToSkip = 0, IgnoreInaccessible = false, MatchType = MatchType.Simple };

    /// <summary>Where the part relative to <paramref name="folder"/> starts in the paths of its members.</summary>
    private static int RelativeStart(string folder) => Path.Join(folder, "x").Length - 1;

    /// <param name="folder">The folder to list, as its parent's listing named it.</param>
    /// <param name="relativeStart">Where the path relative to the walked root starts in every host path.</param>
    /// <param name="into">Receives the members, each folder followed by its own.</param>
    /// <param name="exclude">Globs over relative paths of members to leave out.</param>
    private static void Collect(string folder, int relativeStart, List<HostItem> into, IReadOnlyList<Glob> exclude)
    {
        // Full paths, as the items keep them; sharing the folder's prefix, they sort as the names do.
        var paths = new List<string>(new FileSystemEnumerable<string>(folder, (ref FileSystemEntry entry) => Path.Join(folder.AsSpan(), entry.FileName), Members));
        paths.Sort(StringComparer.Ordinal);
        var nameStart = RelativeStart(folder);
        using var members = HostFolder.Open(folder);
        foreach (var hostPath in paths)
        {
            if (exclude.Count > 0 && IsExcluded(hostPath.AsSpan(relativeStart), exclude))
            {
                continue; // an excluded folder takes its whole subtree with it
            }

            var info = members.Stat(hostPath.AsSpan(nameStart), hostPath);
            into.Add(new HostItem(hostPath, relativeStart, info));
            if (info.Kind == EntryKind.Directory)
            {
                Collect(hostPath, relativeStart, into, exclude);
            }
        }
    }

    private static bool IsExcluded(ReadOnlySpan<char> relativeHostPath, IReadOnlyList<Glob> exclude)
    {
        var relativePath = Path.DirectorySeparatorChar == '/' ? relativeHostPath : HostItem.ToSlashes(relativeHostPath);
        for (var i = 0; i < exclude.Count; i++)
        {
            if (exclude[i].IsMatch(relativePath))
            {
                return true;
            }
        }

        return false;
    }
}
