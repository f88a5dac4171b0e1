namespace LayerBuilder.Reading;

/// <summary>What a layer entry is. Whiteouts are told by their name (image-spec layer.md), whatever their tar type.</summary>
public enum LayerEntryKind
{
    File,
    Directory,
    Symlink,
    HardLink,
    CharacterDevice,
    BlockDevice,
    Fifo,

    /// <summary><c>.wh.NAME</c>: deletes NAME of the layers below.</summary>
    Whiteout,

    /// <summary><c>.wh..wh..opq</c>: hides everything the layers below have in its folder.</summary>
    OpaqueWhiteout,
}
