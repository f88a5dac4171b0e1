using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Recipe;

namespace LayerBuilder.Planning;

/// <summary>
/// Turns one step into the exact, ordered entry list of its layer, against the layers below it
/// (docs/recipe.md): destinations resolve lower-layer symlinks, parent folders keep
/// their lower metadata, removes become whiteouts (opaque when the folder is written again), hardlink
/// targets are copied up and precede their links, and a path written twice is an error.
/// </summary>
internal sealed class StepPlanner
{
    private readonly LowerLayerIndex lower;
    private readonly EntryDefaults defaults;
    private readonly long mtime;
    private readonly DiagnosticBag diagnostics = new();
    private readonly PlanStore plan;
    private readonly Dictionary<string, (ImagePath Path, SourcePosition Position)> removed = new(StringComparer.Ordinal);
    private readonly OwnerResolver owners;
    private ExplicitMarkers markers = new([], []);

    /// <summary>A planner for one step on top of <paramref name="lower"/>. <paramref name="staging"/> is the
    /// build's staging folder, removed when the build ends: content that exists only for this build (an
    /// extract's files) is kept there.</summary>
    public StepPlanner(LowerLayerIndex lower, EntryDefaults defaults, DateTimeOffset created, string staging)
    {
        Staging = staging;
        this.lower = lower;
        this.defaults = defaults;
        mtime = created.ToUnixTimeSeconds();
        plan = new PlanStore(mtime);
        owners = new OwnerResolver(lower, diagnostics);
    }

    /// <summary>Plans <paramref name="step"/>; throws one exception with every problem found.</summary>
    public IReadOnlyList<LayerEntry> Plan(StepSpec step)
    {
        foreach (var r in step.Remove)
        {
            PlanRemove(r);
        }

        foreach (var d in step.Dirs)
        {
            PlanDir(d);
        }

        foreach (var c in step.Copy)
        {
            new CopyPlanner(this, c).Plan();
        }

        foreach (var x in step.Extract)
        {
            new ExtractPlanner(this, x).Plan();
        }

        foreach (var f in step.Files)
        {
            PlanFile(f);
        }

        foreach (var s in step.Symlinks)
        {
            PlanSymlink(s);
        }

        foreach (var h in step.Hardlinks)
        {
            PlanHardlink(h);
        }

        foreach (var n in step.Nodes)
        {
            PlanNode(n);
        }

        markers = new ExplicitMarkers(step.Whiteouts, step.Opaque);

        if (step.Users.Count > 0)
        {
            new UserPlanner(this, step.Users).Plan();
        }

        diagnostics.ThrowIfErrors();
        new HardlinkOrdering(plan).Apply();
        AddRemovalsAndParents();
        diagnostics.ThrowIfErrors();
        plan.Sort();
        return plan;
    }

    internal LowerLayerIndex Lower => lower;

    /// <summary>Where content unpacked from <c>extract</c> tars waits until the layer is written.</summary>
    internal string Staging { get; }

    internal EntryDefaults Defaults => defaults;

    internal long ModifiedTime => mtime;

    internal DiagnosticBag Diagnostics => diagnostics;

    /// <summary>The numeric owner for an entry: its own, else the recipe's default, names looked up in the image.</summary>
    internal Owner OwnerOf(OwnerSpec? spec) => owners.Resolve(spec ?? defaults.Owner);

    /// <summary>Resolves lower-layer symlinks in the parents of <paramref name="path"/> (and, for folders
    /// written into, in the path itself when it is a link to a folder).</summary>
    internal ImagePath? Resolve(ImagePath path, SourcePosition position, bool followLast = false)
    {
        var resolved = followLast ? lower.ResolveAll(path) : lower.ResolveParents(path);
        if (resolved.Problem is null)
        {
            return resolved.Path;
        }

        var code = resolved.TooManyLinks ? DiagnosticCodes.SymlinkLoop : DiagnosticCodes.ParentIsNotDirectory;
        diagnostics.Error(code, position, $"cannot write {path}: {resolved.Problem}");
        return null;
    }

    /// <summary>Makes room for <paramref name="count"/> more entries at once (a copy knows how many it brings).</summary>
    internal void Reserve(int count) => plan.Reserve(count);

    /// <summary>The plan itself, for what a copy walked (<see cref="AddWalked"/>).</summary>
    internal PlanStore Store => plan;

    /// <summary>Registers where the entries to come are from; they refer to it by the number returned.</summary>
    internal int Source(string origin, SourcePosition position) => plan.AddSource(new PlanSource(origin, position));

    /// <summary>Adds an entry; folders merge, anything else written twice is an error naming both.</summary>
    internal void Add(LayerEntry entry, int source, bool isExplicit)
    {
        if (entry.Path.IsRoot)
        {
            diagnostics.Error(DiagnosticCodes.InvalidImagePath, plan.Source(source).Position, "the image root '/' itself cannot be written");
            return;
        }

        var existing = plan.Add(entry, source, isExplicit);
        if (existing != PlanStore.None && Merges(existing, entry.Path, entry.Kind, entry.Mode, entry.Owner, source, isExplicit))
        {
            plan.Replace(existing, entry, source, isExplicit);
        }
    }

    /// <summary>Adds member <paramref name="member"/> of a walked folder (see <see cref="PlanStore.AddWalked"/>), as <see cref="Add"/> does.</summary>
    internal void AddWalked(int folder, int listing, int member, EntryKind kind, int mode, int source)
    {
        var existing = plan.AddWalked(folder, listing, member, kind, mode, source);
        if (existing != PlanStore.None && Merges(existing, plan.PathOf(existing), kind, mode, plan.Source(source).Owner, source, isExplicit: false))
        {
            plan.ReplaceWalked(existing, listing, member, kind, mode, source);
        }
    }

    /// <summary>A second entry for the path of <paramref name="existing"/>: whether it takes that entry's
    /// place (folders merge, an explicit one wins); anything else is an error naming both.</summary>
    private bool Merges(int existing, ImagePath path, EntryKind kind, int mode, Owner owner, int source, bool isExplicit)
    {
        var first = plan.SourceOf(existing);
        var second = plan.Source(source);
        var position = second.Position;
        if (plan.KindOf(existing) == EntryKind.Directory && kind == EntryKind.Directory)
        {
            if (isExplicit && plan.IsExplicit(existing) && (plan.ModeOf(existing) != mode || plan.OwnerOf(existing) != owner))
            {
                diagnostics.Error(DiagnosticCodes.DuplicatePath, position,
                    $"folder {path} is given twice with different mode or owner: first by {plan.Describe(existing)} at {first.Position.Where}, then by {second.Describe(path)}");
                return false;
            }

            return isExplicit || !plan.IsExplicit(existing);
        }

        diagnostics.Error(DiagnosticCodes.DuplicatePath, position,
            $"{path} is written twice in this step: first by {plan.Describe(existing)} ({first.Position.Where}), then by {second.Describe(path)}; a step may write each path once");
        return false;
    }

    private void PlanRemove(Positioned<ImagePath> remove)
    {
        if (Glob.HasWildcards(remove.Value.Value))
        {
            PlanRemoveGlob(remove);
            return;
        }

        if (Resolve(remove.Value, remove.Position) is not { } path)
        {
            return;
        }

        if (lower.Get(path) is null)
        {
            diagnostics.Error(DiagnosticCodes.RemoveMissingPath, remove.Position,
                $"cannot remove {remove.Value}: no lower layer has it{(path != remove.Value ? $" (it resolves to {path})" : "")}; remove only paths of the base or earlier steps");
            return;
        }

        removed[path.Value] = (path, remove.Position);
    }

    /// <summary>A remove with wildcards hides every lower path it matches; matching nothing is an error.</summary>
    private void PlanRemoveGlob(Positioned<ImagePath> remove)
    {
        var parts = remove.Value.Components();
        var first = Array.FindIndex(parts, Glob.HasWildcards);
        var prefix = ImagePath.Parse("/" + string.Join('/', parts[..first]));
        if (Resolve(prefix, remove.Position, followLast: true) is not { } folder)
        {
            return;
        }

        var glob = Glob.Compile(string.Join('/', parts[first..]));
        var matched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in lower.Descendants(folder))
        {
            var relative = folder.IsRoot ? path.Value[1..] : path.Value[(folder.Value.Length + 1)..];
            if (!glob.IsMatch(relative))
            {
                continue;
            }

            matched.Add(path.Value);
            if (!path.Ancestors().Any(a => matched.Contains(a.Value)))
            {
                removed[path.Value] = (path, remove.Position); // a folder's whiteout covers what is below it
            }
        }

        if (matched.Count == 0)
        {
            diagnostics.Error(DiagnosticCodes.RemoveMissingPath, remove.Position,
                $"remove {remove.Value} matches nothing in the lower layers; remove only paths of the base or earlier steps");
        }
    }

    private void PlanDir(DirSpec dir)
    {
        if (Resolve(dir.Path.Value, dir.Position, followLast: true) is not { } path)
        {
            return;
        }

        Add(EntryTime.Apply(new LayerEntry
        {
            Path = path,
            Kind = EntryKind.Directory,
            Mode = dir.Mode ?? defaults.DirMode,
            Owner = OwnerOf(dir.Owner),
            ModifiedTime = mtime,
            Xattrs = dir.Xattrs,
        }, dir.ModifiedTime), Source($"dirs entry {dir.Path.Value}", dir.Position), isExplicit: true);
    }

    private void PlanFile(FileSpec file)
    {
        if (Resolve(file.Path.Value, file.Position) is not { } path)
        {
            return;
        }

        Add(EntryTime.Apply(new LayerEntry
        {
            Path = path,
            Kind = EntryKind.File,
            Mode = file.Mode ?? defaults.FileMode,
            Owner = OwnerOf(file.Owner),
            ModifiedTime = mtime,
            Content = new InlineContent(file.Content),
            Xattrs = file.Xattrs,
        }, file.ModifiedTime), Source($"files entry {file.Path.Value}", file.Position), isExplicit: true);
    }

    /// <summary>A device node or FIFO: a tar entry only, nothing is made on the host.</summary>
    private void PlanNode(NodeSpec node)
    {
        if (Resolve(node.Path.Value, node.Position) is not { } path)
        {
            return;
        }

        var kind = node.Type switch
        {
            NodeType.CharDevice => EntryKind.CharDevice,
            NodeType.BlockDevice => EntryKind.BlockDevice,
            _ => EntryKind.Fifo,
        };
        Add(EntryTime.Apply(new LayerEntry
        {
            Path = path,
            Kind = kind,
            Mode = node.Mode ?? defaults.FileMode,
            Owner = OwnerOf(node.Owner),
            ModifiedTime = mtime,
            DeviceMajor = kind == EntryKind.Fifo ? 0 : node.Major,
            DeviceMinor = kind == EntryKind.Fifo ? 0 : node.Minor,
            Xattrs = node.Xattrs,
        }, node.ModifiedTime), Source($"nodes entry {node.Path.Value}", node.Position), isExplicit: true);
    }

    private void PlanSymlink(LinkSpec link)
    {
        if (Resolve(link.Path.Value, link.Position) is not { } path)
        {
            return;
        }

        Add(EntryTime.Apply(new LayerEntry
        {
            Path = path,
            Kind = EntryKind.Symlink,
            Mode = 0x1FF,
            Owner = OwnerOf(link.Owner),
            ModifiedTime = mtime,
            LinkTarget = link.Target.Value,
        }, link.ModifiedTime), Source($"symlinks entry {link.Path.Value}", link.Position), isExplicit: true);
    }

    private void PlanHardlink(LinkSpec link)
    {
        if (Resolve(link.Path.Value, link.Position) is not { } path ||
            Resolve(ImagePath.Parse(link.Target.Value), link.Target.Position) is not { } target)
        {
            return;
        }

        var inStep = plan.Find(target);
        var inLower = lower.Get(target);
        if (inStep == PlanStore.None && inLower is null)
        {
            diagnostics.Error(DiagnosticCodes.HardlinkTargetMissing, link.Target.Position,
                $"hardlink target {link.Target.Value} does not exist in this step or a lower layer");
            return;
        }

        var kind = inStep != PlanStore.None ? plan.KindOf(inStep) : inLower!.Kind;
        if (kind is not (EntryKind.File or EntryKind.Hardlink))
        {
            diagnostics.Error(DiagnosticCodes.HardlinkTargetNotFile, link.Target.Position,
                $"hardlink target {link.Target.Value} is a {LowerLayerIndex.Describe(kind)}; hard links can only point at regular files");
            return;
        }

        if (inStep == PlanStore.None && inLower is not null)
        {
            // Loaders need the target in the same layer, so the lower file is copied up, metadata and all.
            Add(inLower, Source($"copy-up of {target} for hardlink {link.Path.Value}", link.Position), isExplicit: false);
        }

        Add(EntryTime.Apply(new LayerEntry
        {
            Path = path,
            Kind = EntryKind.Hardlink,
            LinkTarget = target.Value,
            ModifiedTime = mtime,
        }, link.ModifiedTime), Source($"hardlinks entry {link.Path.Value}", link.Position), isExplicit: true);
    }

    /// <summary>Whiteouts for removes, and every parent folder the entries need, in their final form.</summary>
    private void AddRemovalsAndParents()
    {
        int Written(string key) => plan.Find(ImagePath.Parse(key));

        var opaque = new HashSet<string>(StringComparer.Ordinal);
        var extra = new List<LayerEntry>();

        // Every folder that holds something this step writes: the plan keeps each such folder once, so
        // this walks up from each folder, not each entry, and stops at the first folder already seen.
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var neededByName = needed.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var folder in plan.Folders)
        {
            if (!folder.IsRoot && needed.Add(folder.Value))
            {
                AddParents(neededByName, folder);
            }
        }

        var whiteouts = new List<ImagePath>();
        foreach (var (key, (path, _)) in removed)
        {
            var wasFolder = lower.Get(path)?.Kind == EntryKind.Directory;
            if (Written(key) is var replacement and not PlanStore.None)
            {
                // A file or link at the same path simply replaces the lower one; a folder hides its old children.
                if (plan.KindOf(replacement) == EntryKind.Directory && wasFolder)
                {
                    opaque.Add(key);
                }
            }
            else if (needed.Contains(key))
            {
                // Written into again: a new folder replaces the old one, which is hidden as a whole.
                if (wasFolder)
                {
                    opaque.Add(key);
                }
            }
            else
            {
                whiteouts.Add(path);
            }
        }

        // A whiteout under another whiteout of the same step says nothing more.
        var whiteoutSet = whiteouts.Select(w => w.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var path in whiteouts.Where(p => !p.Ancestors().Any(a => whiteoutSet.Contains(a.Value))))
        {
            var whiteout = new LayerEntry { Path = path, Kind = EntryKind.Whiteout, Mode = 0, ModifiedTime = mtime };
            extra.Add(whiteout);
            AddParents(neededByName, path);
        }

        AddExplicitMarkers(neededByName, needed, whiteoutSet, opaque, extra);

        foreach (var key in opaque)
        {
            needed.Add(key);
            extra.Add(new LayerEntry { Path = ImagePath.Parse(key), Kind = EntryKind.OpaqueWhiteout, Mode = 0, ModifiedTime = mtime });
        }

        var parents = new List<(LayerEntry Entry, bool FromLower)>();
        foreach (var key in needed)
        {
            if (Written(key) is var own and not PlanStore.None)
            {
                if (plan.KindOf(own) != EntryKind.Directory)
                {
                    var child = FirstBelow(key);
                    diagnostics.Error(DiagnosticCodes.ParentIsNotDirectory, plan.SourceOf(child).Position,
                        $"{plan.PathOf(child)} needs {key} to be a folder, but this step writes it as a {LowerLayerIndex.Describe(plan.KindOf(own))} ({plan.Describe(own)})");
                }

                continue;
            }

            var path = ImagePath.Parse(key);
            var existing = lower.Get(path);
            parents.Add(existing is { Kind: EntryKind.Directory } && !opaque.Contains(key) && !removed.ContainsKey(key)
                ? (existing with { Content = null }, true)
                : (new LayerEntry
                {
                    Path = path,
                    Kind = EntryKind.Directory,
                    Mode = defaults.DirMode,
                    Owner = OwnerOf(null),
                    ModifiedTime = mtime,
                }, false));
        }

        var lowerSource = Source("lower layer", default);
        var parentSource = Source("parent folder", default);
        foreach (var (entry, fromLower) in parents)
        {
            plan.Add(entry, fromLower ? lowerSource : parentSource, isExplicit: false);
        }

        // After the folders: an opaque marker has the path of the folder it empties.
        var whiteoutSource = Source("a remove", default);
        foreach (var entry in extra)
        {
            plan.AddMarker(entry, whiteoutSource);
        }
    }

    /// <summary>The step's own <c>whiteouts</c> and <c>opaque</c> markers, written as given (no lower layer
    /// need hold the path); one on a path the step writes, or a whiteout that a remove makes too, is an
    /// error: the layer would say two things of one path.</summary>
    private void AddExplicitMarkers(HashSet<string>.AlternateLookup<ReadOnlySpan<char>> neededByName, HashSet<string> needed, HashSet<string> whiteoutSet, HashSet<string> opaque, List<LayerEntry> extra)
    {
        foreach (var (path, position) in markers.Whiteouts)
        {
            var written = plan.Find(path);
            if (written != PlanStore.None || needed.Contains(path.Value))
            {
                var by = written != PlanStore.None ? plan.Describe(written) : "a folder of other entries";
                diagnostics.Error(DiagnosticCodes.MarkerConflict, position,
                    $"whiteout {path} hides a path this step writes ({by}); a layer cannot both delete and write it");
                continue;
            }

            if (!whiteoutSet.Add(path.Value))
            {
                diagnostics.Error(DiagnosticCodes.MarkerConflict, position, $"whiteout {path} is given twice, or also comes from a remove; keep one");
                continue;
            }

            extra.Add(new LayerEntry { Path = path, Kind = EntryKind.Whiteout, Mode = 0, ModifiedTime = mtime });
            AddParents(neededByName, path);
        }

        foreach (var (path, position) in markers.Opaque)
        {
            if (plan.Find(path) is var written and not PlanStore.None && plan.KindOf(written) != EntryKind.Directory)
            {
                diagnostics.Error(DiagnosticCodes.MarkerConflict, position,
                    $"opaque {path} marks a folder, but this step writes it as a {LowerLayerIndex.Describe(plan.KindOf(written))} ({plan.Describe(written)})");
                continue;
            }

            if (whiteoutSet.Contains(path.Value))
            {
                diagnostics.Error(DiagnosticCodes.MarkerConflict, position, $"opaque {path} is also a whiteout of this step; keep one");
                continue;
            }

            opaque.Add(path.Value);
            AddParents(neededByName, path);
        }
    }

    /// <summary>The first entry of the plan below folder <paramref name="key"/> (for an error).</summary>
    private int FirstBelow(string key)
    {
        var folder = ImagePath.Parse(key);
        for (var row = 0; row < plan.Count; row++)
        {
            var path = plan.PathOf(row);
            if (path != folder && path.IsSameOrUnder(folder))
            {
                return row;
            }
        }

        throw new InvalidOperationException($"no entry of the plan is below {key}");
    }

    /// <summary>Adds the folders above <paramref name="path"/> (not the root), nearest first, up to the
    /// first one already present; only folders not seen before cost a string.</summary>
    private static void AddParents(HashSet<string>.AlternateLookup<ReadOnlySpan<char>> folders, ImagePath path)
    {
        var value = path.Value;
        for (var slash = value.LastIndexOf('/'); slash > 0 && folders.Add(value.AsSpan(0, slash)); slash = value.LastIndexOf('/', slash - 1))
        {
        }
    }

    /// <summary>The explicit markers of a step, with their positions.</summary>
    private sealed record ExplicitMarkers(IReadOnlyList<Positioned<ImagePath>> Whiteouts, IReadOnlyList<Positioned<ImagePath>> Opaque);
}
