using LayerBuilder.FileSystem;

namespace LayerBuilder.Archive;

/// <summary>One regular file of the outer archive: its name and where its bytes come from.</summary>
public sealed record ArchiveMember(string Name, ContentSource Content)
{
    public static ArchiveMember Bytes(string name, byte[] bytes) => new(name, new InlineContent(bytes));

    public static ArchiveMember File(string name, string path, long length) => new(name, new HostFileContent(path, length));
}
