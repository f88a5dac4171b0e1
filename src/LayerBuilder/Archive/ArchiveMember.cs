using LayerBuilder.FileSystem;

namespace LayerBuilder.Archive;

/// <summary>One regular file of the outer archive: its name and where its bytes come from.</summary>
public sealed record ArchiveMember(string Name, ContentSource Content)
{
    /// <summary>When set, the bytes are hashed while copied and must have this digest (cached layers).</summary>
    public Image.Digest? Verify { get; init; }

    /// <summary>A layer blob (compressed or not), as opposed to the image's metadata.</summary>
    public bool IsLayer { get; init; }

    /// <summary>Where the bytes start in a file source: a layer written into an archive starts past its header.</summary>
    public long SourceOffset { get; init; }

    public static ArchiveMember Layer(string name, Layers.LayerBlob layer) =>
        File(name, layer.FilePath, layer.Size) with { Verify = layer.NeedsVerification ? layer.DiffId : null, IsLayer = true, SourceOffset = layer.Offset };

    public static ArchiveMember Bytes(string name, byte[] bytes) => new(name, new InlineContent(bytes));

    public static ArchiveMember File(string name, string path, long length) => new(name, new HostFileContent(path, length));
}
