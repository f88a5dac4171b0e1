using System.Globalization;
using System.Text;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using YamlDotNet.RepresentationModel;

namespace LayerBuilder.Recipe;

/// <summary>Reads one item of <c>steps:</c>; each operation list keeps its items' positions.</summary>
internal sealed class StepReader(YamlNodeReader reader, string baseDirectory)
{
    private readonly ValueReader values = new(reader);

    private DiagnosticBag Diagnostics => reader.Diagnostics;

    public StepSpec? Read(YamlNode node, int index)
    {
        var what = $"step {index + 1}";
        var map = reader.Mapping(node, what, RecipeKeys.Step);
        if (map is null)
        {
            return null;
        }

        var step = new StepSpec
        {
            Index = index,
            Position = reader.Position(node),
            Name = map.TryGetValue("name", out var name) ? reader.Scalar(name, $"'name' of {what}") : null,
            Copy = Items(map, "copy", what, Copy),
            Files = Items(map, "files", what, File),
            Dirs = Items(map, "dirs", what, Dir),
            Symlinks = Items(map, "symlinks", what, (n, w) => Link(n, w, RecipeKeys.Symlink, symlink: true)),
            Hardlinks = Items(map, "hardlinks", what, (n, w) => Link(n, w, RecipeKeys.Hardlink, symlink: false)),
            Extract = Items(map, "extract", what, Extract),
            Remove = Paths(map, "remove", what, entry: false),
            Nodes = Items(map, "nodes", what, Node),
            Whiteouts = Paths(map, "whiteouts", what, entry: true),
            Opaque = Paths(map, "opaque", what, entry: true),
            Users = Items(map, "users", what, User),
        };

        if (!map.Keys.Any(k => k != "name"))
        {
            // An operation key with an empty list is left alone: the YAML says what it means.
            values.Checks.DoesSomething(step, what);
        }

        return step;
    }

    /// <summary>A list of image paths (<c>remove</c>, <c>whiteouts</c>, <c>opaque</c>); the markers' paths are
    /// entries' paths, so no component may be named like a whiteout itself.</summary>
    private List<Positioned<ImagePath>> Paths(IReadOnlyDictionary<string, YamlNode> map, string key, string what, bool entry) =>
        Items(map, key, what, (n, w) => reader.PositionedScalar(n, $"an item of '{key}' in {w}") is { } text &&
            (entry ? values.Checks.EntryPath(text, $"an item of '{key}' in {w}") : values.Checks.ImagePath(text, $"an item of '{key}' in {w}")) is { } p
                ? new[] { p }
                : null)
            .SelectMany(p => p).ToList();

    private List<T> Items<T>(IReadOnlyDictionary<string, YamlNode> map, string key, string what, Func<YamlNode, string, T?> read)
    {
        var result = new List<T>();
        if (!map.TryGetValue(key, out var node))
        {
            return result;
        }

        foreach (var item in reader.Sequence(node, $"'{key}' of {what}"))
        {
            if (read(item, what) is { } value)
            {
                result.Add(value);
            }
        }

        return result;
    }

    private CopySpec? Copy(YamlNode node, string what)
    {
        var map = reader.Mapping(node, $"a 'copy' item of {what}", RecipeKeys.Copy);
        if (map is null)
        {
            return null;
        }

        var src = values.Required(map, "src", $"a 'copy' item of {what}", node);
        var written = values.Required(map, "dest", $"a 'copy' item of {what}", node);
        var dest = written is { } d ? values.Checks.CopyDestination(d, $"a 'copy' item of {what}") : null;
        var include = map.TryGetValue("include", out var inc) ? reader.StringList(inc, "'include'", allowSingle: true) ?? [] : [];
        var exclude = map.TryGetValue("exclude", out var exc) ? reader.StringList(exc, "'exclude'", allowSingle: true) ?? [] : [];
        values.Checks.Globs(include.Concat(exclude));
        var preserve = map.TryGetValue("preserveMode", out var pm) && reader.Boolean(pm, "'preserveMode'") == true;
        var mode = values.Mode(map, "mode");
        var dirMode = values.Mode(map, "dirMode");
        if (pm is not null)
        {
            values.Checks.PreserveModeAlone(preserve, mode is not null || dirMode is not null, reader.Position(pm));
        }

        var source = src is null ? null : values.Checks.HostPath(src.Value, $"'src' of {what}", baseDirectory);
        if (source is null || dest is null)
        {
            return null;
        }

        return new CopySpec
        {
            Source = source.Value,
            Destination = dest.Value,
            Include = include,
            Exclude = exclude,
            Mode = mode,
            DirMode = dirMode,
            Owner = values.Owner(map, "owner"),
            PreserveMode = preserve,
            PreserveXattrs = map.TryGetValue("preserveXattrs", out var px) && reader.Boolean(px, "'preserveXattrs'") == true,
            Xattrs = values.Xattrs(map),
            ModifiedTime = values.EntryTime(map),
            Position = reader.Position(node),
        };
    }

    private UserSpec? User(YamlNode node, string what)
    {
        var where = $"a 'users' item of {what}";
        var map = reader.Mapping(node, where, RecipeKeys.User);
        if (map is null)
        {
            return null;
        }

        var name = values.Required(map, "name", where, node);
        var uid = values.Required(map, "uid", where, node);
        Positioned<string>? Optional(string key) => map.TryGetValue(key, out var value) ? reader.PositionedScalar(value, $"'{key}' of {where}") : null;
        var gid = Optional("gid");
        var home = Optional("home");
        var shell = Optional("shell");
        var groups = map.TryGetValue("groups", out var list) ? reader.StringList(list, $"'groups' of {where}", allowSingle: true) ?? [] : [];
        if (name is null || uid is null || !values.Checks.User(name.Value, uid, gid, home, shell, groups))
        {
            return null;
        }

        return new UserSpec(
            name.Value,
            int.Parse(uid.Value.Value, CultureInfo.InvariantCulture),
            gid is { } g ? int.Parse(g.Value, CultureInfo.InvariantCulture) : null,
            home?.Value,
            shell?.Value,
            groups.Select(x => x.Value).ToList(),
            reader.Position(node));
    }

    private ExtractSpec? Extract(YamlNode node, string what)
    {
        var where = $"an 'extract' item of {what}";
        var map = reader.Mapping(node, where, RecipeKeys.Extract);
        if (map is null)
        {
            return null;
        }

        var src = values.Required(map, "src", where, node);
        var dest = values.EntryPathValue(map, "dest", where, node);
        var source = src is null ? null : values.Checks.HostPath(src.Value, $"'src' of {where}", baseDirectory);
        return source is null || dest is null
            ? null
            : new ExtractSpec(source.Value, dest.Value, reader.Position(node));
    }

    private FileSpec? File(YamlNode node, string what)
    {
        var where = $"a 'files' item of {what}";
        var map = reader.Mapping(node, where, RecipeKeys.File);
        if (map is null)
        {
            return null;
        }

        var path = values.EntryPathValue(map, "path", where, node);
        ReadOnlyMemory<byte> content = default;
        var hasText = map.TryGetValue("content", out var text);
        var hasBytes = map.TryGetValue("base64", out var b64);
        if (hasText == hasBytes)
        {
            Diagnostics.Error(hasText ? DiagnosticCodes.ConflictingKeys : DiagnosticCodes.MissingKey, reader.Position(node),
                $"{where} needs exactly one of 'content' (text) or 'base64' (bytes)");
        }
        else if (hasText && reader.Scalar(text!, "'content'", allowEmpty: true) is { } s)
        {
            content = Encoding.UTF8.GetBytes(s);
        }
        else if (hasBytes && reader.Scalar(b64!, "'base64'", expand: false, allowEmpty: true) is { } encoded)
        {
            try
            {
                content = Convert.FromBase64String(string.Concat(encoded.Where(c => !char.IsWhiteSpace(c))));
            }
            catch (FormatException)
            {
                Diagnostics.Error(DiagnosticCodes.InvalidBase64, reader.Position(b64!), "'base64' is not valid base64 text");
            }
        }

        var mode = values.Mode(map, "mode");
        var owner = values.Owner(map, "owner");
        var xattrs = values.Xattrs(map);
        var mtime = values.EntryTime(map);
        return path is null ? null : new FileSpec(path.Value, content, mode, owner, reader.Position(node)) { Xattrs = xattrs, ModifiedTime = mtime };
    }

    private DirSpec? Dir(YamlNode node, string what)
    {
        var where = $"a 'dirs' item of {what}";
        var map = reader.Mapping(node, where, RecipeKeys.Dir);
        if (map is null)
        {
            return null;
        }

        var path = values.EntryPathValue(map, "path", where, node);
        var mode = values.Mode(map, "mode");
        var owner = values.Owner(map, "owner");
        var xattrs = values.Xattrs(map);
        var mtime = values.EntryTime(map);
        return path is null ? null : new DirSpec(path.Value, mode, owner, reader.Position(node)) { Xattrs = xattrs, ModifiedTime = mtime };
    }

    private NodeSpec? Node(YamlNode node, string what)
    {
        var where = $"a 'nodes' item of {what}";
        var map = reader.Mapping(node, where, RecipeKeys.Node);
        if (map is null)
        {
            return null;
        }

        var path = values.EntryPathValue(map, "path", where, node);
        var type = values.Required(map, "type", where, node) is { } text ? values.Checks.NodeType(text) : null;
        var majorText = map.TryGetValue("major", out var ma) ? reader.PositionedScalar(ma, "'major'") : null;
        var minorText = map.TryGetValue("minor", out var mi) ? reader.PositionedScalar(mi, "'minor'") : null;
        var major = majorText is { } a ? values.Checks.DeviceNumber(a, "major") : null;
        var minor = minorText is { } b ? values.Checks.DeviceNumber(b, "minor") : null;
        var numbersRead = (majorText is null || major is not null) && (minorText is null || minor is not null);
        if (type is { } t && numbersRead)
        {
            values.Checks.DeviceNumbers(t, major, minor, reader.Position(node));
        }

        var mode = values.Mode(map, "mode");
        var owner = values.Owner(map, "owner");
        var xattrs = values.Xattrs(map);
        var mtime = values.EntryTime(map);
        return path is null || type is null
            ? null
            : new NodeSpec(path.Value, type.Value, major ?? 0, minor ?? 0, mode, owner, reader.Position(node)) { Xattrs = xattrs, ModifiedTime = mtime };
    }

    private LinkSpec? Link(YamlNode node, string what, string[] keys, bool symlink)
    {
        var where = $"a '{(symlink ? "symlinks" : "hardlinks")}' item of {what}";
        var map = reader.Mapping(node, where, keys);
        if (map is null)
        {
            return null;
        }

        var path = values.EntryPathValue(map, "path", where, node);
        Positioned<string>? target = null;
        if (symlink)
        {
            target = values.SymlinkTarget(map, where, node);
        }
        else
        {
            target = values.HardlinkTarget(map, where, node);
        }

        var owner = values.Owner(map, "owner");
        var mtime = values.EntryTime(map);
        return path is null || target is null ? null : new LinkSpec(path.Value, target.Value, owner, reader.Position(node)) { ModifiedTime = mtime };
    }
}
