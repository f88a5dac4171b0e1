using LayerBuilder.Image;

namespace LayerBuilder.Reading;

/// <summary>One path of an image's final filesystem: the entry of the highest layer that has it, after
/// every whiteout and opaque folder of the layers above was applied (image-spec layer.md).</summary>
public sealed record FileSystemEntry
{
    /// <summary>The path inside the image, relative, without <c>./</c> or a trailing <c>/</c>; the root is <c>.</c>.</summary>
    public required string Path { get; init; }

    /// <summary>What the entry is; never a whiteout. A hard link keeps its kind and names its target;
    /// its <see cref="Size"/> and <see cref="ContentDigest"/> are those of the file it links to.</summary>
    public required LayerEntryKind Kind { get; init; }

    /// <summary>Permission bits with setuid, setgid and sticky.</summary>
    public required UnixFileMode Mode { get; init; }

    public required int Uid { get; init; }

    public required int Gid { get; init; }

    /// <summary>Bytes of content of a regular file (or of the file a hard link names); 0 otherwise.</summary>
    public required long Size { get; init; }

    /// <summary>sha256 of the content of a regular file (or of the file a hard link names), computed while
    /// the layer streamed past; null for every other kind.</summary>
    public required Digest? ContentDigest { get; init; }

    /// <summary>A symlink's target as written, or a hard link's target path; null for other kinds.</summary>
    public required string? LinkTarget { get; init; }

    public required int DeviceMajor { get; init; }

    public required int DeviceMinor { get; init; }

    /// <summary>Extended attributes by name, as <see cref="LayerEntryInfo.Xattrs"/> gives them (values as text).</summary>
    public required IReadOnlyDictionary<string, string> Xattrs { get; init; }

    /// <summary>The same extended attributes with their values as exact bytes, as
    /// <see cref="LayerEntryInfo.XattrBytes"/> gives them; a comparison uses these.</summary>
    public IReadOnlyDictionary<string, byte[]> XattrBytes { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>The layer (0 for the bottom one) whose entry this is.</summary>
    public required int Layer { get; init; }

    public override string ToString() => $"{Path} ({Kind}, {Convert.ToString((int)Mode, 8)}, {Uid}:{Gid})";
}
