namespace LayerBuilder.FileSystem;

/// <summary>The kinds of layer entries LayerBuilder writes: tar typeflags 0 (file), 5 (folder), 2 (symlink), 1 (hard
/// link), 3 and 4 (character and block devices), 6 (FIFO), and the two whiteouts, which are regular files by name.</summary>
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
