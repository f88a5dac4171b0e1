using System.Text;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Recipe;

/// <summary>
/// The operations of one step (one layer) of a recipe built in code, as a step of <c>layerbuild.yml</c>
/// lists them (docs/recipe.md, "Step keys"). Arguments that are missing are programming errors and throw
/// at once; values that are wrong (a relative path, a whiteout name, a mode past 07777) are reported by
/// <see cref="RecipeBuilder.Build"/> with the LB code YAML gets. Image paths are absolute POSIX paths;
/// host paths are relative to <see cref="RecipeBuilder.BaseDirectory"/> unless absolute.
/// </summary>
public sealed class StepBuilder
{
    private readonly List<FileItem> files = [];
    private readonly List<DirItem> dirs = [];
    private readonly List<LinkItem> symlinks = [];
    private readonly List<LinkItem> hardlinks = [];
    private readonly List<CopyItem> copies = [];
    private readonly List<ExtractItem> extracts = [];
    private readonly List<string> removes = [];
    private readonly List<NodeItem> nodes = [];
    private readonly List<string> whiteouts = [];
    private readonly List<string> opaque = [];
    private readonly List<UserItem> users = [];

    internal StepBuilder()
    {
    }

    /// <summary>A file with text content, written as UTF-8 exactly as given (YAML <c>content</c>).
    /// <paramref name="xattrs"/> are extended attributes by name (values as bytes); <paramref name="mtime"/>
    /// replaces the recipe's created time for this entry.</summary>
    public StepBuilder File(string path, string text, UnixFileMode? mode = null, EntryOwner? owner = null, IReadOnlyDictionary<string, byte[]>? xattrs = null, DateTimeOffset? mtime = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return File(path, Encoding.UTF8.GetBytes(text), mode, owner, xattrs, mtime);
    }

    /// <summary>A file with bytes as its content (YAML <c>base64</c>); the bytes are copied.</summary>
    public StepBuilder File(string path, ReadOnlyMemory<byte> bytes, UnixFileMode? mode = null, EntryOwner? owner = null, IReadOnlyDictionary<string, byte[]>? xattrs = null, DateTimeOffset? mtime = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        files.Add(new FileItem(path, bytes.ToArray(), mode, Checked(owner), Copied(xattrs), mtime));
        return this;
    }

    /// <summary>A folder; one that exists below gets this metadata in the step's layer.</summary>
    public StepBuilder Dir(string path, UnixFileMode? mode = null, EntryOwner? owner = null, IReadOnlyDictionary<string, byte[]>? xattrs = null, DateTimeOffset? mtime = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        dirs.Add(new DirItem(path, mode, Checked(owner), Copied(xattrs), mtime));
        return this;
    }

    /// <summary>A symbolic link; <paramref name="target"/> is stored exactly as given (relative or absolute).</summary>
    public StepBuilder Symlink(string path, string target, EntryOwner? owner = null, DateTimeOffset? mtime = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(target);
        symlinks.Add(new LinkItem(path, target, Checked(owner), mtime));
        return this;
    }

    /// <summary>A hard link to <paramref name="target"/>, the image path of a regular file of this step or a lower layer.</summary>
    public StepBuilder Hardlink(string path, string target, DateTimeOffset? mtime = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(target);
        hardlinks.Add(new LinkItem(path, target, null, mtime));
        return this;
    }

    /// <summary>A device node or FIFO (YAML <c>nodes</c>): a tar entry only, nothing is made on the host, no
    /// root is needed. <paramref name="major"/> and <paramref name="minor"/> are required for devices and
    /// left out for a FIFO.</summary>
    public StepBuilder Node(string path, NodeType type, int? major = null, int? minor = null, UnixFileMode? mode = null, EntryOwner? owner = null, IReadOnlyDictionary<string, byte[]>? xattrs = null, DateTimeOffset? mtime = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "not a NodeType");
        }

        nodes.Add(new NodeItem(path, type, major, minor, mode, Checked(owner), Copied(xattrs), mtime));
        return this;
    }

    /// <summary>Explicit whiteouts (YAML <c>whiteouts</c>): a <c>.wh.NAME</c> entry for each path, written
    /// whether or not a lower layer has it (unlike <see cref="Remove"/>, which checks).</summary>
    public StepBuilder Whiteout(params string[] paths) => AddPaths(whiteouts, paths);

    /// <summary>Opaque folders (YAML <c>opaque</c>): a <c>.wh..wh..opq</c> marker in each, hiding what the lower
    /// layers have in it, written whether or not they have the folder.</summary>
    public StepBuilder Opaque(params string[] folders) => AddPaths(opaque, folders);

    /// <summary>
    /// Host files (YAML <c>copy</c>): a file, a folder's contents or a wildcard pattern, to
    /// <paramref name="destination"/> (into it when it ends in '/'). <paramref name="include"/> and
    /// <paramref name="exclude"/> are globs relative to the source; <paramref name="mode"/> and
    /// <paramref name="dirMode"/> force modes; <paramref name="preserveMode"/> keeps the host's bits instead.
    /// </summary>
    public StepBuilder Copy(
        string source,
        string destination,
        IEnumerable<string>? include = null,
        IEnumerable<string>? exclude = null,
        UnixFileMode? mode = null,
        UnixFileMode? dirMode = null,
        EntryOwner? owner = null,
        bool preserveMode = false,
        bool preserveXattrs = false,
        IReadOnlyDictionary<string, byte[]>? xattrs = null,
        DateTimeOffset? mtime = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        copies.Add(new CopyItem(source, destination, Globs(include, nameof(include)), Globs(exclude, nameof(exclude)), mode, dirMode, Checked(owner), preserveMode)
        {
            PreserveXattrs = preserveXattrs,
            Xattrs = Copied(xattrs),
            ModifiedTime = mtime,
        });
        return this;
    }

    /// <summary>A host tar (plain, gzip, bzip2 or zstd) unpacked under <paramref name="destination"/>.</summary>
    public StepBuilder Extract(string source, string destination)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        extracts.Add(new ExtractItem(source, destination));
        return this;
    }

    /// <summary>An account appended to the image's <c>/etc/passwd</c> and <c>/etc/group</c> (YAML
    /// <c>users</c>): <paramref name="gid"/> defaults to the uid, <paramref name="home"/> to
    /// <c>/home/NAME</c>, <paramref name="shell"/> to <c>/bin/sh</c>; <paramref name="groups"/> are
    /// supplementary groups the image already has.</summary>
    public StepBuilder User(string name, int uid, int? gid = null, string? home = null, string? shell = null, IEnumerable<string>? groups = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        users.Add(new UserItem(name, uid, gid, home, shell, [.. groups ?? []]));
        return this;
    }

    /// <summary>Paths (or globs) of lower layers to delete; each becomes a whiteout.</summary>
    public StepBuilder Remove(params string[] paths) => AddPaths(removes, paths);

    /// <summary>The step as the model holds it, every value checked as <see cref="StepReader"/> checks YAML.</summary>
    internal StepSpec Build(int index, string? name, string baseDirectory, RecipeChecks checks)
    {
        var what = $"step {index + 1}";
        var place = name is null ? what : $"step '{name}'";
        var step = new StepSpec
        {
            Index = index,
            Name = name,
            Position = SourcePosition.InCode(place),
            Files = files.Select(f => BuildFile(f, what, place, checks)).OfType<FileSpec>().ToList(),
            Users = users.Select(u => BuildUser(u, place, checks)).OfType<UserSpec>().ToList(),
            Dirs = dirs.Select(d => BuildDir(d, what, place, checks)).OfType<DirSpec>().ToList(),
            Symlinks = symlinks.Select(l => BuildSymlink(l, what, place, checks)).OfType<LinkSpec>().ToList(),
            Hardlinks = hardlinks.Select(l => BuildHardlink(l, what, place, checks)).OfType<LinkSpec>().ToList(),
            Copy = copies.Select(c => BuildCopy(c, what, place, baseDirectory, checks)).OfType<CopySpec>().ToList(),
            Extract = extracts.Select(e => BuildExtract(e, what, place, baseDirectory, checks)).OfType<ExtractSpec>().ToList(),
            Remove = removes
                .Select(r => checks.ImagePath(new Positioned<string>(r, SourcePosition.InCode($"{place}, remove {r}")), $"an item of 'remove' in {what}"))
                .OfType<Positioned<ImagePath>>()
                .ToList(),
            Nodes = nodes.Select(n => BuildNode(n, what, place, checks)).OfType<NodeSpec>().ToList(),
            Whiteouts = whiteouts
                .Select(w => checks.EntryPath(new Positioned<string>(w, SourcePosition.InCode($"{place}, whiteout {w}")), $"an item of 'whiteouts' in {what}"))
                .OfType<Positioned<ImagePath>>()
                .ToList(),
            Opaque = opaque
                .Select(o => checks.EntryPath(new Positioned<string>(o, SourcePosition.InCode($"{place}, opaque {o}")), $"an item of 'opaque' in {what}"))
                .OfType<Positioned<ImagePath>>()
                .ToList(),
        };

        if (files.Count + dirs.Count + symlinks.Count + hardlinks.Count + copies.Count + extracts.Count + removes.Count + nodes.Count + whiteouts.Count + opaque.Count + users.Count == 0)
        {
            checks.DoesSomething(step, what);
        }

        return step;
    }

    private static FileSpec? BuildFile(FileItem item, string what, string place, RecipeChecks checks)
    {
        var at = SourcePosition.InCode($"{place}, file {item.Path}");
        var where = $"a 'files' item of {what}";
        var path = checks.EntryPath(new Positioned<string>(item.Path, at), $"'path' of {where}");
        var mode = Mode(item.Mode, at, checks);
        var owner = Owner(item.Owner, at, checks);
        var xattrs = Xattrs(item.Xattrs, at, checks);
        return path is null ? null : new FileSpec(path.Value, item.Content, mode, owner, at) { Xattrs = xattrs, ModifiedTime = item.Mtime };
    }

    private static DirSpec? BuildDir(DirItem item, string what, string place, RecipeChecks checks)
    {
        var at = SourcePosition.InCode($"{place}, dir {item.Path}");
        var path = checks.EntryPath(new Positioned<string>(item.Path, at), $"'path' of a 'dirs' item of {what}");
        var mode = Mode(item.Mode, at, checks);
        var owner = Owner(item.Owner, at, checks);
        var xattrs = Xattrs(item.Xattrs, at, checks);
        return path is null ? null : new DirSpec(path.Value, mode, owner, at) { Xattrs = xattrs, ModifiedTime = item.Mtime };
    }

    private static NodeSpec? BuildNode(NodeItem item, string what, string place, RecipeChecks checks)
    {
        var at = SourcePosition.InCode($"{place}, node {item.Path}");
        var path = checks.EntryPath(new Positioned<string>(item.Path, at), $"'path' of a 'nodes' item of {what}");
        checks.DeviceNumbers(item.Type, item.Major, item.Minor, at);
        var mode = Mode(item.Mode, at, checks);
        var owner = Owner(item.Owner, at, checks);
        var xattrs = Xattrs(item.Xattrs, at, checks);
        return path is null
            ? null
            : new NodeSpec(path.Value, item.Type, item.Major ?? 0, item.Minor ?? 0, mode, owner, at) { Xattrs = xattrs, ModifiedTime = item.Mtime };
    }

    private static LinkSpec? BuildSymlink(LinkItem item, string what, string place, RecipeChecks checks)
    {
        var at = SourcePosition.InCode($"{place}, symlink {item.Path}");
        var where = $"a 'symlinks' item of {what}";
        var path = checks.EntryPath(new Positioned<string>(item.Path, at), $"'path' of {where}");
        var target = checks.SymlinkTarget(new Positioned<string>(item.Target, at), where);
        var owner = Owner(item.Owner, at, checks);
        return path is null || target is null ? null : new LinkSpec(path.Value, target.Value, owner, at) { ModifiedTime = item.Mtime };
    }

    private static LinkSpec? BuildHardlink(LinkItem item, string what, string place, RecipeChecks checks)
    {
        var at = SourcePosition.InCode($"{place}, hardlink {item.Path}");
        var where = $"a 'hardlinks' item of {what}";
        var path = checks.EntryPath(new Positioned<string>(item.Path, at), $"'path' of {where}");
        var target = checks.HardlinkTarget(new Positioned<string>(item.Target, at), where);
        return path is null || target is null ? null : new LinkSpec(path.Value, target.Value, null, at) { ModifiedTime = item.Mtime };
    }

    private static CopySpec? BuildCopy(CopyItem item, string what, string place, string baseDirectory, RecipeChecks checks)
    {
        var at = SourcePosition.InCode($"{place}, copy {item.Source} to {item.Destination}");
        var dest = checks.CopyDestination(new Positioned<string>(item.Destination, at), $"a 'copy' item of {what}");
        var include = item.Include.Select(g => new Positioned<string>(g, at)).ToList();
        var exclude = item.Exclude.Select(g => new Positioned<string>(g, at)).ToList();
        checks.Globs(include.Concat(exclude));
        var mode = item.Mode is { } m ? checks.Mode(new Positioned<int>((int)m, at), "mode") : null;
        var dirMode = item.DirMode is { } d ? checks.Mode(new Positioned<int>((int)d, at), "dirMode") : null;
        checks.PreserveModeAlone(item.PreserveMode, item.Mode is not null || item.DirMode is not null, at);
        var owner = Owner(item.Owner, at, checks);
        var source = checks.HostPath(new Positioned<string>(item.Source, at), $"the source of a 'copy' item of {what}", baseDirectory);
        return dest is null || source is null
            ? null
            : new CopySpec
            {
                Source = source.Value,
                Destination = dest.Value,
                Include = include,
                Exclude = exclude,
                Mode = mode,
                DirMode = dirMode,
                Owner = owner,
                PreserveMode = item.PreserveMode,
                PreserveXattrs = item.PreserveXattrs,
                Xattrs = Xattrs(item.Xattrs, at, checks),
                ModifiedTime = item.ModifiedTime,
                Position = at,
            };
    }

    private static ExtractSpec? BuildExtract(ExtractItem item, string what, string place, string baseDirectory, RecipeChecks checks)
    {
        var at = SourcePosition.InCode($"{place}, extract {item.Source} to {item.Destination}");
        var dest = checks.EntryPath(new Positioned<string>(item.Destination, at), $"'dest' of an 'extract' item of {what}");
        var source = checks.HostPath(new Positioned<string>(item.Source, at), $"the source of an 'extract' item of {what}", baseDirectory);
        return dest is null || source is null ? null : new ExtractSpec(source.Value, dest.Value, at);
    }

    private static int? Mode(UnixFileMode? mode, SourcePosition at, RecipeChecks checks) =>
        mode is { } m ? checks.Mode(new Positioned<int>((int)m, at), "mode") : null;

    private static IReadOnlyDictionary<string, byte[]>? Xattrs(IReadOnlyDictionary<string, byte[]>? xattrs, SourcePosition at, RecipeChecks checks) =>
        xattrs is null ? null : checks.Xattrs(xattrs.Select(x => (new Positioned<string>(x.Key, at), x.Value)));

    /// <summary>A copy of the caller's xattrs, so changing the dictionary later changes nothing built.</summary>
    private static Dictionary<string, byte[]>? Copied(IReadOnlyDictionary<string, byte[]>? xattrs)
    {
        if (xattrs is null)
        {
            return null;
        }

        var copy = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, value) in xattrs)
        {
            ArgumentException.ThrowIfNullOrEmpty(name, nameof(xattrs));
            ArgumentNullException.ThrowIfNull(value, nameof(xattrs));
            copy[name] = [.. value];
        }

        return copy;
    }

    private StepBuilder AddPaths(List<string> list, string[] paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            ArgumentException.ThrowIfNullOrEmpty(path, nameof(paths));
        }

        list.AddRange(paths);
        return this;
    }

    private static OwnerSpec? Owner(EntryOwner? owner, SourcePosition at, RecipeChecks checks) =>
        owner is { } o ? checks.Owner(new Positioned<string>(o.Text, at), "owner") : null;

    /// <summary>A <c>default(EntryOwner)</c> names nobody: a programming error, like a null string.</summary>
    internal static EntryOwner? Checked(EntryOwner? owner, string parameter = "owner") =>
        owner is { Text: null } ? throw new ArgumentException("an EntryOwner made with 'default' names no owner; use EntryOwner.Ids, EntryOwner.Names or a string", parameter) : owner;

    private static List<string> Globs(IEnumerable<string>? globs, string parameter)
    {
        var list = globs?.ToList() ?? [];
        foreach (var glob in list)
        {
            ArgumentException.ThrowIfNullOrEmpty(glob, parameter);
        }

        return list;
    }

    private sealed record FileItem(string Path, ReadOnlyMemory<byte> Content, UnixFileMode? Mode, EntryOwner? Owner, IReadOnlyDictionary<string, byte[]>? Xattrs, DateTimeOffset? Mtime);

    private sealed record DirItem(string Path, UnixFileMode? Mode, EntryOwner? Owner, IReadOnlyDictionary<string, byte[]>? Xattrs, DateTimeOffset? Mtime);

    private sealed record LinkItem(string Path, string Target, EntryOwner? Owner, DateTimeOffset? Mtime);

    private sealed record NodeItem(string Path, NodeType Type, int? Major, int? Minor, UnixFileMode? Mode, EntryOwner? Owner, IReadOnlyDictionary<string, byte[]>? Xattrs, DateTimeOffset? Mtime);

    private sealed record CopyItem(string Source, string Destination, IReadOnlyList<string> Include, IReadOnlyList<string> Exclude, UnixFileMode? Mode, UnixFileMode? DirMode, EntryOwner? Owner, bool PreserveMode)
    {
        public bool PreserveXattrs { get; init; }

        public IReadOnlyDictionary<string, byte[]>? Xattrs { get; init; }

        public DateTimeOffset? ModifiedTime { get; init; }
    }

    private sealed record ExtractItem(string Source, string Destination);

    private sealed record UserItem(string Name, int Uid, int? Gid, string? Home, string? Shell, IReadOnlyList<string> Groups);

    private static UserSpec? BuildUser(UserItem user, string place, RecipeChecks checks)
    {
        var at = SourcePosition.InCode($"{place}, user {user.Name}");
        Positioned<string>? Text(string? value) => value is null ? null : new Positioned<string>(value, at);
        Positioned<string>? Id(int? value) => value is { } id ? new Positioned<string>(id.ToString(System.Globalization.CultureInfo.InvariantCulture), at) : null;
        var valid = checks.User(new Positioned<string>(user.Name, at), Id(user.Uid), Id(user.Gid), Text(user.Home), Text(user.Shell),
            [.. user.Groups.Select(g => new Positioned<string>(g, at))]);
        return valid ? new UserSpec(new Positioned<string>(user.Name, at), user.Uid, user.Gid, user.Home, user.Shell, user.Groups, at) : null;
    }
}
