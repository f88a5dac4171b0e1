using LayerBuilder.Image;

namespace LayerBuilder.Archive;

/// <summary>One regular file of the outer archive: its name and its bytes, either the image's metadata
/// (a few kilobytes, held here) or a layer blob (copied in by the layer itself).</summary>
internal abstract record ArchiveMember(string Name)
{
    public abstract long Length { get; }

    public static ArchiveMember Bytes(string name, byte[] bytes) => new MetadataMember(name, bytes);

    public static ArchiveMember Layer(string name, ILayer layer) => new LayerMember(name, layer);
}

/// <summary>A metadata file: config, manifest, index, legacy json.</summary>
internal sealed record MetadataMember(string Name, ReadOnlyMemory<byte> Content) : ArchiveMember(Name)
{
    public override long Length => Content.Length;
}

/// <summary>A layer blob, compressed or not.</summary>
internal sealed record LayerMember(string Name, ILayer Blob) : ArchiveMember(Name)
{
    public override long Length => Blob.Size;
}
