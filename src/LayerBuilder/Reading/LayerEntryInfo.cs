namespace LayerBuilder.Reading;

/// <summary>One entry of a layer tar, as the tar header (and its PAX records) describe it.</summary>
public sealed record LayerEntryInfo
{
    /// <summary>The path inside the image, relative, without <c>./</c> or a trailing <c>/</c> (<c>etc/passwd</c>,
    /// <c>usr/bin</c>); the root folder itself is <c>.</c>. A byte of the name that is not UTF-8 is the lone
    /// surrogate U+DC00 + the byte (docs/library.md), so the name keeps its exact bytes.</summary>
    public required string Path { get; init; }

    public required LayerEntryKind Kind { get; init; }

    /// <summary>Permission bits with setuid, setgid and sticky.</summary>
    public required UnixFileMode Mode { get; init; }

    public required int Uid { get; init; }

    public required int Gid { get; init; }

    /// <summary>The owner's name the header carries; empty when it has none.</summary>
    public required string UserName { get; init; }

    /// <summary>The group's name the header carries; empty when it has none.</summary>
    public required string GroupName { get; init; }

    /// <summary>Bytes of content (regular files only; 0 for every other kind).</summary>
    public required long Size { get; init; }

    public required DateTimeOffset ModificationTime { get; init; }

    /// <summary>A symlink's target as written, or a hard link's target path in the layer; null for other kinds.</summary>
    public required string? LinkTarget { get; init; }

    /// <summary>Device numbers of character and block devices; 0 for other kinds.</summary>
    public required int DeviceMajor { get; init; }

    public required int DeviceMinor { get; init; }

    /// <summary>Extended attributes from PAX <c>SCHILY.xattr.NAME</c> records, by NAME (values as UTF-8 text;
    /// a binary value reads with U+FFFD: see <see cref="XattrBytes"/>).</summary>
    public required IReadOnlyDictionary<string, string> Xattrs { get; init; }

    /// <summary>The same extended attributes with their values as the exact bytes of the records (binary
    /// ones such as <c>security.capability</c> included).</summary>
    public IReadOnlyDictionary<string, byte[]> XattrBytes { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>For a whiteout, the path it deletes; for an opaque whiteout, the folder it empties; else null.</summary>
    public string? WhiteoutTarget => Kind switch
    {
        LayerEntryKind.Whiteout => Join(Folder, Name[FileSystem.WhiteoutNames.Prefix.Length..]),
        LayerEntryKind.OpaqueWhiteout => Folder.Length == 0 ? "." : Folder,
        _ => null,
    };

    private string Folder => Path.LastIndexOf('/') is var slash and >= 0 ? Path[..slash] : "";

    private string Name => Path[(Path.LastIndexOf('/') + 1)..];

    private static string Join(string folder, string name) => folder.Length == 0 ? name : folder + "/" + name;

    public override string ToString() => $"{Path} ({Kind}, {Convert.ToString((int)Mode, 8)}, {Uid}:{Gid})";
}
