namespace LayerBuilder.Reading;

/// <summary>What differs between the two entries of a changed path. Modification times are not compared:
/// they differ between any two builds and change nothing a container sees.</summary>
[Flags]
public enum PathAspects
{
    None = 0,

    /// <summary>The kind (file, folder, symlink, device...).</summary>
    Kind = 1,

    /// <summary>A regular file's size or content digest.</summary>
    Content = 2,

    /// <summary>Permission bits, setuid, setgid or sticky.</summary>
    Mode = 4,

    /// <summary>Uid or gid.</summary>
    Owner = 8,

    /// <summary>A symlink's or hard link's target.</summary>
    Link = 16,

    /// <summary>The extended attributes' names or values.</summary>
    Xattrs = 32,

    /// <summary>A device's major or minor number.</summary>
    Device = 64,
}
