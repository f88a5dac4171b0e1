using System.Globalization;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;

namespace LayerBuilder.Recipe;

/// <summary>
/// The checks every recipe value passes, whoever produced it: <see cref="RecipeParser"/> reads a value
/// out of YAML and <see cref="RecipeBuilder"/> takes it from code, then both hand it here, so a bad
/// value gets the same LB code either way (docs/diagnostics.md, docs/decisions.md D25). Each check
/// reports into one bag and returns the checked (normalized) value, or null when it is wrong, so one
/// run reports every problem.
/// </summary>
internal sealed partial class RecipeChecks(DiagnosticBag diagnostics)
{
    public DiagnosticBag Diagnostics => diagnostics;

    public ImageReference? ImageName(Positioned<string> name)
    {
        if (ImageReference.TryParse(name.Value, out var reference, out var problem))
        {
            return reference;
        }

        diagnostics.Error(DiagnosticCodes.InvalidImageName, name.Position, $"image name '{name.Value}' is not valid: {problem}");
        return null;
    }

    /// <summary>The tags without duplicates; an empty list is refused at <paramref name="listPosition"/>.</summary>
    public List<string> Tags(IReadOnlyList<Positioned<string>> tags, SourcePosition listPosition)
    {
        foreach (var tag in tags.Where(t => !ImageReference.IsValidTag(t.Value)))
        {
            diagnostics.Error(DiagnosticCodes.InvalidTag, tag.Position,
                $"tag '{tag.Value}' is not valid: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'");
        }

        if (tags.Count == 0)
        {
            diagnostics.Error(DiagnosticCodes.InvalidTag, listPosition,
                "'tags' is empty; an untagged image vanishes in containerd, so give at least one tag");
        }

        return tags.Select(t => t.Value).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>A <c>base:</c> string other than <c>scratch</c>: an image reference as <c>FROM</c> reads one.
    /// One that names a file beside the recipe is more likely a path meant for <c>rootfs:</c> or <c>image:</c>.</summary>
    public RegistryBase? RegistryBase(Positioned<string> text, string baseDirectory)
    {
        var value = text.Value;
        var valid = Registry.RemoteReference.TryParse(value, out _, out var problem);
        var looksLikeFile = ArchiveSuffixes.Any(s => value.EndsWith(s, StringComparison.OrdinalIgnoreCase)) || !valid;
        if (looksLikeFile && IsHostPath(value, baseDirectory))
        {
            diagnostics.Error(DiagnosticCodes.InvalidBase, text.Position,
                $"base '{value}' names a file, not an image in a registry: write '{{ rootfs: {value} }}' for a root filesystem or '{{ image: {value} }}' for a docker save archive");
            return null;
        }

        if (!valid)
        {
            diagnostics.Error(DiagnosticCodes.InvalidBaseReference, text.Position,
                $"base '{value}' is neither 'scratch' nor an image reference ({problem}); write 'debian:12', 'registry.example/team/base:1' or a mapping such as '{{ rootfs: path/to/rootfs.tar }}'");
            return null;
        }

        return new RegistryBase(value, text.Position);
    }

    private static readonly string[] ArchiveSuffixes = [".tar", ".tgz", ".tar.gz", ".tar.zst", ".tar.bz2"];

    private static bool IsHostPath(string value, string baseDirectory)
    {
        try
        {
            var path = HostPaths.Resolve(baseDirectory, value);
            return File.Exists(path) || Directory.Exists(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return false;
        }
    }

    public Platform Platform(Positioned<string> text)
    {
        if (Image.Platform.TryParse(text.Value, out var platform))
        {
            return platform;
        }

        diagnostics.Error(DiagnosticCodes.InvalidPlatform, text.Position,
            $"platform '{text.Value}' is not os/architecture[/variant] (for example linux/amd64 or linux/arm64/v8)");
        return Image.Platform.LinuxAmd64;
    }

    /// <summary>A mode as a recipe writes it: octal text.</summary>
    public int? Mode(Positioned<string> text, string key)
    {
        if (Permissions.TryParseOctal(text.Value, out var mode))
        {
            return mode;
        }

        diagnostics.Error(DiagnosticCodes.InvalidMode, text.Position,
            $"{key} '{text.Value}' is not an octal mode: write 3 or 4 octal digits in quotes, such as \"0755\" or \"0644\"");
        return null;
    }

    /// <summary>A mode given as a number: only the permission bits (07777) are a mode.</summary>
    public int? Mode(Positioned<int> value, string key)
    {
        if (value.Value is >= 0 and <= Permissions.Mask)
        {
            return value.Value;
        }

        diagnostics.Error(DiagnosticCodes.InvalidMode, value.Position,
            $"{key} 0x{value.Value:x} is not a file mode: a mode holds the permission bits only, 0 to 07777");
        return null;
    }

    public OwnerSpec? Owner(Positioned<string> text, string key)
    {
        if (OwnerSpec.TryParse(text.Value, text.Position, out var owner))
        {
            return owner;
        }

        diagnostics.Error(DiagnosticCodes.InvalidOwner, text.Position,
            $"{key} '{text.Value}' is not an owner: write \"uid:gid\" such as \"1000:1000\", or names from the image such as \"app:app\"");
        return null;
    }

    /// <summary>The config's user, an owner by another code (it is no entry's owner).</summary>
    public OwnerSpec? User(Positioned<string> text)
    {
        if (OwnerSpec.TryParse(text.Value, text.Position, out var user))
        {
            return user;
        }

        diagnostics.Error(DiagnosticCodes.InvalidUser, text.Position,
            $"user '{text.Value}' is not uid[:gid] or user[:group] names (for example \"1000:1000\" or \"app\")");
        return null;
    }

    /// <summary>An absolute image path, normalized; one that is relative or climbs above '/' is refused.
    /// <c>\xNN</c> in it is byte NN (docs/recipe.md, "Names that are not UTF-8").</summary>
    public Positioned<ImagePath>? ImagePath(Positioned<string> text, string what)
    {
        if (!PathEscapes.TryUnescape(text.Value, out var unescaped, out var escapeProblem))
        {
            diagnostics.Error(DiagnosticCodes.InvalidPathEscape, text.Position, $"{what}: {escapeProblem}");
            return null;
        }

        if (FileSystem.ImagePath.TryParse(unescaped, out var path, out var problem))
        {
            return new Positioned<ImagePath>(path, text.Position);
        }

        var code = text.Value.StartsWith('/') ? DiagnosticCodes.PathEscapesRoot : DiagnosticCodes.InvalidImagePath;
        diagnostics.Error(code, text.Position, $"{what}: {problem}");
        return null;
    }

    /// <summary>An image path that becomes an entry of the layer, so it may not be named like a whiteout.</summary>
    public Positioned<ImagePath>? EntryPath(Positioned<string> text, string what) =>
        ImagePath(text, what) is { } path && IsNotWhiteout(path.Value, path.Position, what) ? path : null;

    /// <summary>Reports a path with a component named like a whiteout; only 'remove' writes whiteouts.</summary>
    public bool IsNotWhiteout(ImagePath path, SourcePosition position, string what)
    {
        if (WhiteoutNames.FirstIn(path) is not { } name)
        {
            return true;
        }

        diagnostics.Error(DiagnosticCodes.WhiteoutPath, position,
            $"{what}: '{name}' is a whiteout name; in a layer it would delete files of the layers below instead of being a file. To delete a path, use 'remove'");
        return false;
    }

    /// <summary>A copy dest keeps its text (a trailing '/' means "into this folder"), but must name a place in the image.</summary>
    public Positioned<string>? CopyDestination(Positioned<string> dest, string what)
    {
        if (!dest.Value.StartsWith('/'))
        {
            diagnostics.Error(DiagnosticCodes.InvalidImagePath, dest.Position, $"dest '{dest.Value}' is not absolute: image paths start with '/'");
            return null;
        }

        if (!FileSystem.ImagePath.TryParse(dest.Value, out var path, out var problem))
        {
            diagnostics.Error(DiagnosticCodes.PathEscapesRoot, dest.Position, $"dest of {what}: {problem}");
            return null;
        }

        return IsNotWhiteout(path, dest.Position, $"dest '{dest.Value}' of {what}") ? dest : null;
    }

    /// <summary>A host path (a copy or extract source, a base file), resolved against
    /// <paramref name="baseDirectory"/> (<see cref="HostPaths"/>); a NUL, which no file name can hold, is refused.</summary>
    public Positioned<string>? HostPath(Positioned<string> path, string what, string baseDirectory)
    {
        if (!path.Value.Contains('\0'))
        {
            return path with { Value = HostPaths.Resolve(baseDirectory, path.Value) };
        }

        diagnostics.Error(DiagnosticCodes.InvalidHostPath, path.Position,
            $"{what}: a host path cannot contain NUL characters (no file name can hold one)");
        return null;
    }

    /// <summary>A symlink target: any text (relative or absolute, it is not resolved here), but no NUL, which would cut it short in the tar.</summary>
    public Positioned<string>? SymlinkTarget(Positioned<string> target, string what)
    {
        if (!target.Value.Contains('\0'))
        {
            return target;
        }

        diagnostics.Error(DiagnosticCodes.PathEscapesRoot, target.Position,
            $"'target' of {what}: a symlink target cannot contain NUL characters (the tar entry would end at the first one)");
        return null;
    }

    /// <summary>A hard link's target is an image path, kept normalized as text.</summary>
    public Positioned<string>? HardlinkTarget(Positioned<string> target, string what) =>
        ImagePath(target, $"'target' of {what}") is { } path ? new Positioned<string>(path.Value.Value, path.Position) : null;

    public void Globs(IEnumerable<Positioned<string>> globs)
    {
        foreach (var glob in globs)
        {
            if (!Glob.IsValid(glob.Value, out var problem))
            {
                diagnostics.Error(DiagnosticCodes.InvalidGlob, glob.Position, $"glob '{glob.Value}' is not valid: {problem}");
            }
        }
    }

    /// <summary><c>preserveMode</c> keeps the host's bits, so it cannot also force a mode.</summary>
    public void PreserveModeAlone(bool preserveMode, bool forcesMode, SourcePosition position)
    {
        if (preserveMode && forcesMode)
        {
            diagnostics.Error(DiagnosticCodes.ConflictingKeys, position, "preserveMode: true cannot be combined with mode or dirMode; keep one");
        }
    }

    /// <summary>A step is one layer; one that writes nothing is a mistake.</summary>
    public void DoesSomething(StepSpec step, string what)
    {
        if (step.Extract.Count + step.Copy.Count + step.Files.Count + step.Dirs.Count + step.Symlinks.Count + step.Hardlinks.Count + step.Remove.Count +
            step.Nodes.Count + step.Whiteouts.Count + step.Opaque.Count + step.Users.Count == 0)
        {
            diagnostics.Error(DiagnosticCodes.EmptyStep, step.Position,
                $"{what} does nothing: give it at least one of copy, files, dirs, symlinks, hardlinks, nodes, extract, remove, whiteouts, opaque or users");
        }
    }

    /// <summary>
    /// A <c>users</c> entry's values: a name as useradd takes it (a letter, digit or '_' first, then those
    /// and '.', '-'; at most 32 characters), ids from 0 to 2^31-1, absolute home and shell without ':' or a
    /// line break (each would split the passwd line), supplementary group names as names.
    /// </summary>
    public bool User(Positioned<string> name, Positioned<string>? uid, Positioned<string>? gid, Positioned<string>? home, Positioned<string>? shell, IReadOnlyList<Positioned<string>> groups)
    {
        var ok = true;
        foreach (var n in groups.Prepend(name))
        {
            if (!AccountName().IsMatch(n.Value))
            {
                diagnostics.Error(DiagnosticCodes.InvalidUserEntry, n.Position,
                    $"'{n.Value}' is not an account name: start with a letter, digit or '_', use only letters, digits, '_', '.' and '-', at most 32 characters");
                ok = false;
            }
        }

        foreach (var id in new[] { uid, gid }.OfType<Positioned<string>>())
        {
            if (!OwnerSpec.IsId(id.Value))
            {
                diagnostics.Error(DiagnosticCodes.InvalidUserEntry, id.Position, $"'{id.Value}' is not a user or group id: write a whole number from 0 to 2147483647");
                ok = false;
            }
        }

        foreach (var path in new[] { home, shell }.OfType<Positioned<string>>())
        {
            if (!path.Value.StartsWith('/') || path.Value.AsSpan().IndexOfAny(":\n\r") >= 0)
            {
                diagnostics.Error(DiagnosticCodes.InvalidUserEntry, path.Position, $"'{path.Value}' is not an absolute path without ':' or line breaks, as /etc/passwd needs");
                ok = false;
            }
        }

        return ok;
    }

    /// <summary>An entry's <c>mtime</c> as a recipe writes it: RFC 3339 or Unix seconds, either with up to
    /// seven decimal places (100 ns, what a tar entry keeps here), before 1970 too.</summary>
    public DateTimeOffset? EntryTime(Positioned<string> text)
    {
        if (ValueParsers.TryParseEntryTime(text.Value, out var time))
        {
            return time;
        }

        diagnostics.Error(DiagnosticCodes.InvalidEntryTime, text.Position,
            $"mtime '{text.Value}' is not an RFC 3339 time such as \"2024-01-01T00:00:00.5Z\" or Unix seconds such as 1700000000 or -1.25, with at most 7 decimal places, in years 1 to 9999");
        return null;
    }

    /// <summary>Extended attributes: names in a Linux namespace (user., security., trusted., system.), at
    /// most 255 bytes, no NUL or '='; values at most 64 KiB.</summary>
    public IReadOnlyDictionary<string, byte[]>? Xattrs(IEnumerable<(Positioned<string> Name, byte[] Value)> xattrs)
    {
        var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, value) in xattrs)
        {
            var problem = XattrNames.Problem(name.Value);
            if (problem is null && value.Length > XattrNames.MaxValueBytes)
            {
                problem = $"its value is {value.Length} bytes; Linux keeps at most {XattrNames.MaxValueBytes}";
            }

            if (problem is not null)
            {
                diagnostics.Error(DiagnosticCodes.InvalidXattr, name.Position, $"xattr '{TarInput.TarInputFailures.Printable(name.Value)}': {problem}");
                continue;
            }

            result[name.Value] = value;
        }

        return result.Count == 0 ? null : result;
    }

    /// <summary>An xattr value as YAML writes it: text (stored as UTF-8), or <c>base64:…</c> for bytes.</summary>
    public byte[]? XattrValue(Positioned<string> text)
    {
        const string Base64Prefix = "base64:";
        if (!text.Value.StartsWith(Base64Prefix, StringComparison.Ordinal))
        {
            return System.Text.Encoding.UTF8.GetBytes(text.Value);
        }

        try
        {
            return Convert.FromBase64String(string.Concat(text.Value[Base64Prefix.Length..].Where(c => !char.IsWhiteSpace(c))));
        }
        catch (FormatException)
        {
            diagnostics.Error(DiagnosticCodes.InvalidBase64, text.Position, "the xattr value after 'base64:' is not valid base64 text");
            return null;
        }
    }

    /// <summary>A node's type word: <c>char</c>, <c>block</c> or <c>fifo</c>.</summary>
    public NodeType? NodeType(Positioned<string> text)
    {
        switch (text.Value)
        {
            case "char":
                return Recipe.NodeType.CharDevice;
            case "block":
                return Recipe.NodeType.BlockDevice;
            case "fifo":
                return Recipe.NodeType.Fifo;
            default:
                diagnostics.Error(DiagnosticCodes.InvalidNodeType, text.Position, $"node type '{text.Value}' is not one of char, block or fifo");
                return null;
        }
    }

    /// <summary>Device numbers: required for char and block devices (0 to 2097151, what the tar header's
    /// seven octal digits hold), not given for a FIFO.</summary>
    public void DeviceNumbers(NodeType type, int? major, int? minor, SourcePosition position)
    {
        if (type == Recipe.NodeType.Fifo)
        {
            if (major is not null || minor is not null)
            {
                diagnostics.Error(DiagnosticCodes.InvalidDeviceNumber, position, "a fifo has no device numbers; leave out major and minor");
            }

            return;
        }

        if (major is null || minor is null)
        {
            diagnostics.Error(DiagnosticCodes.InvalidDeviceNumber, position, "a char or block device needs both 'major' and 'minor'");
            return;
        }

        foreach (var (key, value) in new[] { ("major", major.Value), ("minor", minor.Value) })
        {
            if (value is < 0 or > MaxDeviceNumber)
            {
                diagnostics.Error(DiagnosticCodes.InvalidDeviceNumber, position, $"{key} {value} is not a device number from 0 to {MaxDeviceNumber}");
            }
        }
    }

    /// <summary>A device number as YAML writes it: a whole number; null (reported) when it is not one.</summary>
    public int? DeviceNumber(Positioned<string> text, string key)
    {
        if (int.TryParse(text.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        diagnostics.Error(DiagnosticCodes.InvalidDeviceNumber, text.Position, $"{key} '{text.Value}' is not a whole number from 0 to {MaxDeviceNumber}");
        return null;
    }

    /// <summary>A path check with its typed values checked: <paramref name="type"/>, <paramref name="size"/> and
    /// <paramref name="sha256"/> as text (YAML) or null; <c>exists: false</c> asks nothing else.</summary>
    public PathCheck? PathCheck(PathCheck check, Positioned<string>? type = null, Positioned<string>? size = null, Positioned<string>? sha256 = null)
    {
        var ok = true;
        if (type is { } t)
        {
            ImageEntryType? parsed = t.Value switch
            {
                "file" => ImageEntryType.File,
                "dir" => ImageEntryType.Directory,
                "symlink" => ImageEntryType.Symlink,
                "char" => ImageEntryType.CharDevice,
                "block" => ImageEntryType.BlockDevice,
                "fifo" => ImageEntryType.Fifo,
                _ => null,
            };
            ok &= Report(parsed is not null, t.Position, $"type '{t.Value}' is not one of file, dir, symlink, char, block or fifo");
            check = check with { Type = parsed };
        }

        if (size is { } s)
        {
            var valid = long.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes);
            ok &= Report(valid, s.Position, $"size '{s.Value}' is not a whole number of bytes");
            check = check with { Size = valid ? bytes : null };
        }

        if (sha256 is { } h)
        {
            var text = h.Value.StartsWith("sha256:", StringComparison.Ordinal) ? h.Value : "sha256:" + h.Value;
            var valid = Digest.TryParse(text, out var digest) && digest.Algorithm == "sha256";
            ok &= Report(valid, h.Position, $"sha256 '{h.Value}' is not 64 lowercase hex digits (optionally after 'sha256:')");
            check = check with { Sha256 = valid ? digest : null };
        }

        ok &= Report(check.Mode is null or (>= 0 and <= Permissions.Mask), check.Position, "mode is not a file mode from 0 to 07777");
        ok &= Report(check.Size is null or >= 0, check.Position, "size cannot be negative");
        var asksMore = check.Type is not null || check.Mode is not null || check.Owner is not null || check.Size is not null ||
            check.Sha256 is not null || check.Contains is not null || check.Target is not null;
        ok &= Report(!(check.Exists == false && asksMore), check.Position,
            $"the check of {check.Path.Value} says 'exists: false' and asks more of the path; keep 'exists: false' alone");
        return ok ? check : null;
    }

    /// <summary>A config check must ask something.</summary>
    public ConfigCheck? ConfigCheck(ConfigCheck check)
    {
        var asks = check.User is not null || check.Entrypoint is not null || check.Cmd is not null || check.WorkingDir is not null ||
            check.Env.Count > 0 || check.Labels.Count > 0;
        return Report(asks, check.Position, "a config check asks nothing: give it user, entrypoint, cmd, workdir, env or labels") ? check : null;
    }

    private bool Report(bool ok, SourcePosition position, string message)
    {
        if (!ok)
        {
            diagnostics.Error(DiagnosticCodes.InvalidCheck, position, message);
        }

        return ok;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$")]
    private static partial System.Text.RegularExpressions.Regex AccountName();

    /// <summary>Octal 7777777: the largest number the tar header's device fields hold.</summary>
    private const int MaxDeviceNumber = (1 << 21) - 1;

    /// <summary>An environment variable name: the config stores <c>NAME=value</c>, so no '='.</summary>
    public bool EnvName(Positioned<string> name)
    {
        if (name.Value.Length > 0 && !name.Value.Contains('='))
        {
            return true;
        }

        diagnostics.Error(DiagnosticCodes.WrongType, name.Position, $"environment variable name '{name.Value}' cannot contain '='");
        return false;
    }

    public string WorkingDir(Positioned<string> text)
    {
        if (!text.Value.StartsWith('/'))
        {
            diagnostics.Error(DiagnosticCodes.InvalidImagePath, text.Position, $"workdir '{text.Value}' must be an absolute path such as /app");
        }
        else if (!FileSystem.ImagePath.TryParse(text.Value, out _, out var problem))
        {
            diagnostics.Error(DiagnosticCodes.PathEscapesRoot, text.Position, $"workdir: {problem}");
        }

        // Kept as written (a valid one is not normalized): the config's bytes stay what they always were.
        return text.Value;
    }

    /// <summary>The ports as the config's ExposedPorts keys ("8080/tcp"), sorted, without duplicates.</summary>
    public List<string> Ports(IEnumerable<Positioned<string>> ports)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var port in ports)
        {
            if (ValueParsers.TryParsePort(port.Value, out var normalized))
            {
                result.Add(normalized);
            }
            else
            {
                diagnostics.Error(DiagnosticCodes.InvalidPort, port.Position,
                    $"port '{port.Value}' is not PORT[/tcp|udp|sctp] with PORT 1-65535 (for example \"8080/tcp\")");
            }
        }

        return result.ToList();
    }

    /// <summary>The volumes as written, sorted, without duplicates; each an absolute path inside the image.</summary>
    public List<string> Volumes(IEnumerable<Positioned<string>> volumes)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var volume in volumes)
        {
            if (!volume.Value.StartsWith('/'))
            {
                diagnostics.Error(DiagnosticCodes.InvalidImagePath, volume.Position, $"volume '{volume.Value}' must be an absolute path such as /data");
            }
            else if (!FileSystem.ImagePath.TryParse(volume.Value, out _, out var problem))
            {
                diagnostics.Error(DiagnosticCodes.PathEscapesRoot, volume.Position, $"volume: {problem}");
            }
            else
            {
                result.Add(volume.Value);
            }
        }

        return result.ToList();
    }

    public string StopSignal(Positioned<string> text)
    {
        if (!ValueParsers.IsSignal(text.Value))
        {
            diagnostics.Error(DiagnosticCodes.InvalidSignal, text.Position,
                $"stopSignal '{text.Value}' is not a signal: use a name such as SIGTERM or SIGQUIT, or a number 1-64");
        }

        return text.Value;
    }

    /// <summary>Docker reads the first word of a healthcheck test as its form.</summary>
    public void HealthcheckTest(IReadOnlyList<string> test, SourcePosition position)
    {
        if (test is { Count: > 0 } && test[0] is not ("CMD" or "CMD-SHELL" or "NONE"))
        {
            diagnostics.Error(DiagnosticCodes.WrongType, position,
                $"healthcheck test must start with CMD, CMD-SHELL or NONE (or be a string for the shell form), not '{test[0]}'");
        }
    }

    /// <summary>A duration as a recipe writes it ("30s", "1m30s"), in nanoseconds.</summary>
    public long? Duration(Positioned<string> text, string key)
    {
        if (ValueParsers.TryParseDuration(text.Value, out var nanoseconds))
        {
            return nanoseconds;
        }

        diagnostics.Error(DiagnosticCodes.InvalidDuration, text.Position,
            $"healthcheck {key} '{text.Value}' is not a duration such as 30s, 1m30s or 500ms");
        return null;
    }

    /// <summary>A duration given as a time span, in nanoseconds: never negative, and it must fit the config's number.</summary>
    public long? Duration(Positioned<TimeSpan> value, string key)
    {
        if (value.Value >= TimeSpan.Zero && value.Value.Ticks <= long.MaxValue / NanosecondsPerTick)
        {
            return value.Value.Ticks * NanosecondsPerTick;
        }

        diagnostics.Error(DiagnosticCodes.InvalidDuration, value.Position,
            $"healthcheck {key} {value.Value} is not a duration the config can hold: 0 or more, up to {long.MaxValue / NanosecondsPerTick / TimeSpan.TicksPerDay} days");
        return null;
    }

    /// <summary>Retries as a recipe writes them: a whole number.</summary>
    public int? Retries(Positioned<string> text)
    {
        if (int.TryParse(text.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var retries))
        {
            return retries;
        }

        diagnostics.Error(DiagnosticCodes.WrongType, text.Position, $"healthcheck retries '{text.Value}' must be a whole number");
        return null;
    }

    /// <summary>Retries given as a number: a count, so not negative.</summary>
    public int? Retries(Positioned<int> value) =>
        value.Value >= 0 ? value.Value : Retries(new Positioned<string>(value.Value.ToString(CultureInfo.InvariantCulture), value.Position));

    private const long NanosecondsPerTick = 100;
}
