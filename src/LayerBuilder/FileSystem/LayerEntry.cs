namespace LayerBuilder.FileSystem;

/// <summary>
/// One member of a layer tar, fully decided: path, kind, permissions, owner, time, link target and
/// content. Nothing about the host leaks in after this point; the tar header is built from these
/// fields only.
/// </summary>
internal sealed record LayerEntry
{
    public required ImagePath Path { get; init; }

    public required EntryKind Kind { get; init; }

    /// <summary>Permission bits (07777); the file type comes from <see cref="Kind"/>.</summary>
    public int Mode { get; init; }

    public Owner Owner { get; init; }

    /// <summary>Modification time in Unix seconds (negative before 1970).</summary>
    public long ModifiedTime { get; init; }

    /// <summary>The part of the modification time below a second, in 100-ns ticks (0 to 9,999,999); written
    /// as a fractional PAX <c>mtime</c> record when not 0 (docs/archive-formats.md).</summary>
    public int ModifiedFraction { get; init; }

    /// <summary>Symlink target as written (may be relative), or a hardlink's target image path.</summary>
    public string? LinkTarget { get; init; }

    public ContentSource? Content { get; init; }

    public int DeviceMajor { get; init; }

    public int DeviceMinor { get; init; }

    /// <summary>Extended attributes (PAX SCHILY.xattr.*), values as raw bytes.</summary>
    public IReadOnlyDictionary<string, byte[]>? Xattrs { get; init; }

    public long Size => Kind == EntryKind.File ? Content?.Length ?? 0 : 0;

    /// <summary>The name as it appears in the tar: relative, folders end in '/', whiteouts renamed.</summary>
    public string TarName => Kind switch
    {
        EntryKind.Directory => Path.TarName + "/",
        EntryKind.Whiteout => Prefix(Path.Parent) + WhiteoutNames.Of(Path.Name),
        EntryKind.OpaqueWhiteout => Prefix(Path) + WhiteoutNames.Opaque,
        _ => Path.TarName,
    };

    private static string Prefix(ImagePath folder) => folder.IsRoot ? "" : folder.TarName + "/";
}
