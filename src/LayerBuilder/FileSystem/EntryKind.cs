namespace LayerBuilder.FileSystem;

/// <summary>The kinds of layer entries LayerBuilder writes (tar typeflags 0, 5, 2, 1, and whiteouts).</summary>
internal enum EntryKind
{
    File,
    Directory,
    Symlink,
    Hardlink,
    CharDevice,
    BlockDevice,
    Fifo,

    /// <summary><c>.wh.NAME</c>: hides NAME of the lower layers (image-spec layer.md).</summary>
    Whiteout,

    /// <summary><c>.wh..wh..opq</c>: hides every lower-layer child of its folder.</summary>
    OpaqueWhiteout,
}
