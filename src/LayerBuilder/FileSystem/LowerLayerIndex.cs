namespace LayerBuilder.FileSystem;

/// <summary>
/// The merged view of every layer written so far: what a container would see. Steps consult it to
/// resolve symlinks in destination paths, to give existing parent folders their own metadata, to check
/// removes and to copy hardlink targets up. Entries keep a pointer into their layer file instead of
/// content, so the index stays small however big the layers are.
/// </summary>
internal sealed class LowerLayerIndex
{
    private const int MaxSymlinkHops = 40;

    private readonly Node root = new(new LayerEntry { Path = ImagePath.Root, Kind = EntryKind.Directory, Mode = Permissions.DefaultDirectory });

    public int Count { get; private set; }

    /// <summary>The entry at exactly this path (no symlink resolution), or null.</summary>
    public LayerEntry? Get(ImagePath path) => Find(path)?.Entry;

    /// <summary>The names directly in <paramref name="folder"/> (no symlink resolution); none when it is no folder.</summary>
    public IEnumerable<string> ChildNames(ImagePath folder) => Find(folder)?.Children?.Keys ?? Enumerable.Empty<string>();

    /// <summary>Every path below <paramref name="folder"/> (not the folder itself), parents before children,
    /// names in ordinal order.</summary>
    public IEnumerable<ImagePath> Descendants(ImagePath folder)
    {
        var start = Find(folder);
        if (start?.Children is null)
        {
            yield break;
        }

        var stack = new Stack<(ImagePath, Node)>();
        foreach (var (name, child) in start.Children.OrderByDescending(c => c.Key, StringComparer.Ordinal))
        {
            stack.Push((folder.Combine(name), child));
        }

        while (stack.Count > 0)
        {
            var (path, node) = stack.Pop();
            yield return path;
            if (node.Children is null)
            {
                continue;
            }

            foreach (var (name, child) in node.Children.OrderByDescending(c => c.Key, StringComparer.Ordinal))
            {
                stack.Push((path.Combine(name), child));
            }
        }
    }

    /// <summary>Applies one entry of a newly written layer, as an extractor would (layer.md whiteouts).</summary>
    public void Apply(LayerEntry entry)
    {
        switch (entry.Kind)
        {
            case EntryKind.Whiteout:
                if (Find(entry.Path.Parent) is { Children: { } siblings } && siblings.Remove(entry.Path.Name, out var removed))
                {
                    Count -= removed.CountSubtree();
                }

                return;
            case EntryKind.OpaqueWhiteout:
                if (Find(entry.Path) is { Children: { } children })
                {
                    Count -= children.Values.Sum(c => c.CountSubtree());
                    children.Clear();
                }

                return;
        }

        // Down the folders above the entry by name, without a string per folder: a layer of 100,000
        // entries is applied in one go for every step above it.
        var value = entry.Path.Value;
        var parent = root;
        var start = 1;
        for (var slash = value.IndexOf('/', start); slash > 0; start = slash + 1, slash = value.IndexOf('/', start))
        {
            var children = (parent.Children ??= new(StringComparer.Ordinal)).GetAlternateLookup<ReadOnlySpan<char>>();
            var name = value.AsSpan(start, slash - start);
            if (!children.TryGetValue(name, out var next) || next.Entry.Kind != EntryKind.Directory)
            {
                // A layer without its parent entries still implies folders (extractors create them).
                next = new Node(new LayerEntry { Path = ImagePath.Parse(value[..slash]), Kind = EntryKind.Directory, Mode = Permissions.DefaultDirectory });
                children[name] = next;
                Count++;
            }

            parent = next;
        }

        if (entry.Path.IsRoot)
        {
            root.Entry = entry;
            return;
        }

        var inParent = (parent.Children ??= new(StringComparer.Ordinal)).GetAlternateLookup<ReadOnlySpan<char>>();
        var own = value.AsSpan(start);
        if (inParent.TryGetValue(own, out var existing))
        {
            if (existing.Entry.Kind == EntryKind.Directory && entry.Kind == EntryKind.Directory)
            {
                existing.Entry = entry; // a folder entry over a folder only changes its metadata
                return;
            }

            Count -= existing.CountSubtree();
        }

        inParent[own] = new Node(entry);
        Count++;
    }

    /// <summary>
    /// Resolves symlinks in every component but the last, inside the image root, as Docker's COPY does
    /// for destinations. Components that do not exist yet are kept as written.
    /// </summary>
    public ResolvedPath ResolveParents(ImagePath path)
    {
        if (path.IsRoot)
        {
            return new ResolvedPath(path, null);
        }

        var parent = Resolve(path.Parent, out var problem, out var loop);
        if (parent is null)
        {
            return new ResolvedPath(path, problem, loop);
        }

        // Resolve lets the last component be anything; as a parent it has to be a folder (or new), or a
        // file would silently turn into a folder.
        if (Get(parent.Value) is { Kind: not EntryKind.Directory } blocker)
        {
            return new ResolvedPath(path, $"{parent} is a {Describe(blocker.Kind)} in a lower layer, not a folder");
        }

        return new ResolvedPath(parent.Value.Combine(path.Name), null);
    }

    /// <summary>Resolves symlinks in every component, including the last.</summary>
    public ResolvedPath ResolveAll(ImagePath path)
    {
        var resolved = Resolve(path, out var problem, out var loop);
        return new ResolvedPath(resolved ?? path, problem, loop);
    }

    private ImagePath? Resolve(ImagePath path, out string? problem, out bool tooManyLinks)
    {
        problem = null;
        tooManyLinks = false;
        var pending = new Queue<string>(path.Components());
        var current = ImagePath.Root;
        var node = root;
        var hops = 0;
        while (pending.Count > 0)
        {
            var name = pending.Dequeue();
            var child = node?.Children?.GetValueOrDefault(name);
            if (child is null)
            {
                // Nothing below exists in lower layers: the rest of the path is new.
                current = current.Combine(name);
                node = null;
                continue;
            }

            if (child.Entry.Kind == EntryKind.Symlink)
            {
                if (++hops > MaxSymlinkHops)
                {
                    problem = $"more than {MaxSymlinkHops} symbolic links while resolving {path}";
                    tooManyLinks = true;
                    return null;
                }

                var target = child.Entry.LinkTarget ?? "";
                var restart = target.StartsWith('/') ? target : current.Value + "/" + target;

                // A link that climbs above / stays at / (the kernel resolves it that way inside a container root).
                var clamped = ClampToRoot(restart);
                var rest = pending.ToArray();
                pending.Clear();
                foreach (var part in clamped.Components().Concat(rest))
                {
                    pending.Enqueue(part);
                }

                current = ImagePath.Root;
                node = root;
                continue;
            }

            current = current.Combine(name);
            if (child.Entry.Kind != EntryKind.Directory && pending.Count > 0)
            {
                problem = $"{current} is a {Describe(child.Entry.Kind)} in a lower layer, not a folder";
                return null;
            }

            node = child;
        }

        return current;
    }

    private static ImagePath ClampToRoot(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return parts.Count == 0 ? ImagePath.Root : ImagePath.Parse("/" + string.Join('/', parts));
    }

    internal static string Describe(EntryKind kind) => kind switch
    {
        EntryKind.File => "file",
        EntryKind.Directory => "folder",
        EntryKind.Symlink => "symlink",
        EntryKind.Hardlink => "hard link",
        EntryKind.CharDevice => "character device",
        EntryKind.BlockDevice => "block device",
        EntryKind.Fifo => "FIFO",
        _ => "special file",
    };

    private Node? Find(ImagePath path)
    {
        var node = root;
        var rest = path.Value.AsSpan(1);
        while (!rest.IsEmpty)
        {
            var slash = rest.IndexOf('/');
            var name = slash < 0 ? rest : rest[..slash];
            if (node.Children is null || !node.Children.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var next))
            {
                return null;
            }

            node = next;
            rest = slash < 0 ? default : rest[(slash + 1)..];
        }

        return node;
    }

    private sealed class Node(LayerEntry entry)
    {
        public LayerEntry Entry { get; set; } = entry;

        public Dictionary<string, Node>? Children { get; set; }

        public int CountSubtree() => 1 + (Children?.Values.Sum(c => c.CountSubtree()) ?? 0);
    }
}

/// <summary>A path after symlink resolution, or why it could not be resolved.</summary>
/// <summary>A resolved path, or the problem that stopped the resolution; <see cref="TooManyLinks"/> tells a
/// symlink loop (LB2008) from a parent that is not a folder.</summary>
internal readonly record struct ResolvedPath(ImagePath Path, string? Problem, bool TooManyLinks = false);
