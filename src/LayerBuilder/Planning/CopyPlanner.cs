using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Recipe;

namespace LayerBuilder.Planning;

/// <summary>
/// Plans one <c>copy</c> item as Dockerfile COPY would: a folder's contents go under dest, a file goes to
/// dest (or into it when dest ends in '/' or is a folder), wildcard sources copy every match into dest.
/// Host metadata is reduced to what the recipe allows: the owner-executable bit unless preserveMode,
/// mtime from the recipe, owner from the recipe. Host symlinks stay symlinks, host hard links inside one
/// copy stay hard links. Whatever the host answers while the sources are found, walked and stat'ed (a
/// dangling or looping link, a folder that cannot be listed) is reported at the copy's <c>src</c>.
/// </summary>
internal sealed class CopyPlanner(StepPlanner step, CopySpec copy)
{

    private readonly Dictionary<(ulong Device, ulong Inode), ImagePath> inodes = [];

    private Owner? owner;
    private int? itemSource;

    /// <summary>The owner of every entry of this copy, resolved when the first entry needs it.</summary>
    private Owner EntryOwner => owner ??= step.OwnerOf(copy.Owner);

    /// <summary>The one source of every entry this copy brings (walked ones take their owner from it).</summary>
    private int ItemSource => itemSource ??= step.Store.AddSource(new PlanSource(Origin, copy.Position)
    {
        Owner = EntryOwner,
        ModifiedTime = copy.ModifiedTime is { } time ? EntryTime.Split(time) : null,
        Xattrs = copy.Xattrs,
    });

    private string Origin => $"copy of '{copy.Source.Value}'";

    public void Plan()
    {
        try
        {
            PlanSources();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The one place where the host's refusals become diagnostics: the walk, the stats and the
            // link lookups below all end here, whichever of them met the problem.
            var code = e is FileNotFoundException or DirectoryNotFoundException ? DiagnosticCodes.SourceNotFound : DiagnosticCodes.SourceUnreadable;
            step.Diagnostics.Error(code, copy.Source.Position, $"cannot read copy src '{copy.Source.Value}': {e.Message}");
        }
    }

    private void PlanSources()
    {
        var source = copy.Source.Value;
        var dest = copy.Destination.Value;
        var intoFolder = dest.EndsWith('/');
        if (!ImagePath.TryNormalize(dest, out var destPath))
        {
            return; // reported by the parser
        }

        if (Glob.HasWildcards(source))
        {
            var matches = HostTree.Expand(source);
            if (matches.Count == 0)
            {
                step.Diagnostics.Error(DiagnosticCodes.GlobMatchesNothing, copy.Source.Position,
                    $"copy src '{source}' matches nothing; check the pattern and the folder it starts from");
                return;
            }

            foreach (var match in matches)
            {
                CopyOne(match, destPath, intoFolder: true);
            }

            return;
        }

        if (!File.Exists(source) && !Directory.Exists(source))
        {
            step.Diagnostics.Error(DiagnosticCodes.SourceNotFound, copy.Source.Position,
                $"copy src '{source}' does not exist; paths are relative to the recipe's folder");
            return;
        }

        CopyOne(source, destPath, intoFolder);
    }

    private void CopyOne(string source, ImagePath dest, bool intoFolder)
    {
        // The source itself is followed if it is a symlink, as COPY does; links below it are kept.
        if (Directory.Exists(source))
        {
            CopyFolder(source, dest);
            return;
        }

        var resolvedDest = step.Resolve(dest, copy.Destination.Position, followLast: true);
        if (resolvedDest is null)
        {
            return;
        }

        var target = intoFolder || step.Lower.Get(resolvedDest.Value)?.Kind == EntryKind.Directory
            ? resolvedDest.Value.Combine(Path.GetFileName(source))
            : step.Resolve(dest, copy.Destination.Position);
        if (target is null)
        {
            return;
        }

        var info = HostFileInfo.Stat(source);
        if (info.Kind == EntryKind.Symlink)
        {
            // A loop makes the lookup throw (ELOOP), which Plan reports; a link to nothing is said plainly.
            var final = File.ResolveLinkTarget(source, returnFinalTarget: true);
            if (final is null || !final.Exists)
            {
                step.Diagnostics.Error(DiagnosticCodes.SourceNotFound, copy.Source.Position,
                    $"copy src '{source}' is a symlink to '{new FileInfo(source).LinkTarget}', which does not exist");
                return;
            }

            info = HostFileInfo.Stat(final.FullName);
        }

        AddHostItem(new HostItem(source, Path.GetFileName(source), info), target.Value);
    }

    private void CopyFolder(string folder, ImagePath dest)
    {
        if (step.Resolve(dest, copy.Destination.Position, followLast: true) is not { } root)
        {
            return;
        }

        if (!root.IsRoot && step.Lower.Get(root) is null)
        {
            // The destination folder is new: it gets this copy's folder metadata.
            step.Add(WithCopyMetadata(Folder(root, HostFileInfo.Stat(folder)), folder), step.Source(Origin, copy.Destination.Position), isExplicit: false);
        }

        var include = copy.Include.Select(g => Glob.Compile(g.Value)).ToList();
        var exclude = copy.Exclude.Select(g => Glob.Compile(g.Value)).ToList();
        var tree = HostTree.Listing(folder, include, exclude);
        if (tree.Count == 0 && include.Count > 0)
        {
            step.Diagnostics.Error(DiagnosticCodes.GlobMatchesNothing, copy.Include[0].Position,
                $"include {string.Join(", ", copy.Include.Select(g => $"'{g.Value}'"))} matches nothing under '{folder}'");
            return;
        }

        step.Reserve(tree.Count);
        FolderListing? current = null;
        int listing = 0, imageFolder = 0;
        foreach (var (walked, member) in tree.Items())
        {
            if (walked != current)
            {
                // Once per walked folder: its number in the plan and the image folder its members go to.
                current = walked;
                listing = step.Store.AddListing(walked);
                var top = walked.HostPath.Length < walked.RelativeStart;
                imageFolder = step.Store.FolderId(top ? root : root.Combine(HostItem.ToSlashes(walked.HostPath.AsSpan(walked.RelativeStart))));
            }

            AddWalked(walked, listing, member, imageFolder);
        }
    }

    /// <summary>A member of a walked folder: folders and plain files stay packed in the plan; links are
    /// looked at (a symlink's target, a hard link's first name) and kept whole.</summary>
    private void AddWalked(FolderListing walked, int listing, int member, int imageFolder)
    {
        ref readonly var stat = ref walked.Stat(member);
        var name = walked.Name(member);
        var hardlinked = stat.Kind == EntryKind.File && stat.LinkCount > 1 && stat.Inode != 0;
        if (stat.IsSocket || stat.Kind is not (EntryKind.Directory or EntryKind.File) || hardlinked || WhiteoutNames.IsWhiteout(name))
        {
            var path = step.Store.Folders[imageFolder].Combine(name);
            AddHostItem(new HostItem(walked.MemberPath(member), walked.RelativeStart, stat.ToInfo()), path);
            return;
        }

        var mode = stat.Kind == EntryKind.Directory
            ? copy.DirMode ?? (copy.PreserveMode ? stat.Mode : step.Defaults.DirMode)
            : FileMode(stat.Mode);
        step.AddWalked(imageFolder, listing, member, stat.Kind, mode, ItemSource);
        if (copy.PreserveXattrs && HostXattrs.Read(walked.MemberPath(member)) is { } host)
        {
            step.Store.SetHostXattrs(listing, member, host);
        }
    }

    /// <summary>The copy's <c>mtime</c> and xattrs (the host file's first, with <c>preserveXattrs</c>) on an
    /// entry kept whole; walked entries get them from their source and the plan's side table. Links get
    /// no xattrs: a hard link shares its file's, and Linux keeps no user xattrs on a symlink.</summary>
    private LayerEntry WithCopyMetadata(LayerEntry entry, string hostPath)
    {
        var timed = EntryTime.Apply(entry, copy.ModifiedTime);
        if (entry.Kind is EntryKind.Hardlink or EntryKind.Symlink)
        {
            return timed;
        }

        var xattrs = copy.PreserveXattrs ? HostXattrs.Read(hostPath) : null;
        if (copy.Xattrs is { } own)
        {
            xattrs ??= new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (name, value) in own)
            {
                xattrs[name] = value;
            }
        }

        return xattrs is null ? timed : timed with { Xattrs = xattrs };
    }

    private int FileMode(int hostMode) => copy.Mode ?? (copy.PreserveMode ? hostMode : Permissions.FromHostFile(hostMode));

    private void AddHostItem(HostItem item, ImagePath path)
    {
        var info = item.Info;
        if (info.IsSocket || info.Kind is EntryKind.CharDevice or EntryKind.BlockDevice or EntryKind.Fifo)
        {
            step.Diagnostics.Error(DiagnosticCodes.UnsupportedEntry, copy.Source.Position,
                $"'{item.HostPath}' is a socket, device or pipe; copy takes files, folders and symlinks (exclude it)");
            return;
        }

        if (HasWhiteoutName(path))
        {
            step.Diagnostics.Error(DiagnosticCodes.WhiteoutEntry, copy.Source.Position,
                $"'{item.HostPath}' is named like a whiteout marker ('.wh.NAME' or '.wh..wh..opq'): in a layer it would delete files of the image instead of adding one; rename it or exclude it");
            return;
        }

        var entry = info.Kind switch
        {
            EntryKind.Directory => Folder(path, info),
            EntryKind.Symlink => new LayerEntry
            {
                Path = path,
                Kind = EntryKind.Symlink,
                Mode = 0x1FF,
                Owner = EntryOwner,
                ModifiedTime = step.ModifiedTime,
                LinkTarget = new FileInfo(item.HostPath).LinkTarget ?? "",
            },
            _ => FileOrLink(item, path),
        };
        step.Add(WithCopyMetadata(entry, item.HostPath), ItemSource, isExplicit: false);
    }

    /// <summary>Whether the entry's own name would make it a whiteout in the layer. The walk already holds
    /// the path; this looks at its last component in place, without a string or a system call.</summary>
    private static bool HasWhiteoutName(ImagePath path) =>
        WhiteoutNames.IsWhiteout(path.Value.AsSpan(path.Value.LastIndexOf('/') + 1));

    private LayerEntry FileOrLink(HostItem item, ImagePath path)
    {
        var info = item.Info;
        if (info.LinkCount > 1 && info.Inode != 0)
        {
            if (inodes.TryGetValue((info.Device, info.Inode), out var first))
            {
                return new LayerEntry { Path = path, Kind = EntryKind.Hardlink, LinkTarget = first.Value, ModifiedTime = step.ModifiedTime };
            }

            inodes[(info.Device, info.Inode)] = path;
        }

        return new LayerEntry
        {
            Path = path,
            Kind = EntryKind.File,
            Mode = FileMode(info.Mode),
            Owner = EntryOwner,
            ModifiedTime = step.ModifiedTime,
            Content = new HostFileContent(item.HostPath, info.Size) { Info = info },
        };
    }

    private LayerEntry Folder(ImagePath path, HostFileInfo info) => new()
    {
        Path = path,
        Kind = EntryKind.Directory,
        Mode = copy.DirMode ?? (copy.PreserveMode ? info.Mode : step.Defaults.DirMode),
        Owner = EntryOwner,
        ModifiedTime = step.ModifiedTime,
    };
}
