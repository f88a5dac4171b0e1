using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;

namespace LayerBuilder.Recipe;

/// <summary>One item of recipe <c>checks</c>: an assertion on the finished image, evaluated on its merged
/// filesystem and config before the archive is written (docs/recipe.md, "Checks"). A failed one is an
/// LB6xxx diagnostic at <see cref="Position"/>.</summary>
public abstract record ImageCheck(SourcePosition Position);

/// <summary>What a path of the merged filesystem must be; every property left null is not checked.</summary>
public sealed record PathCheck(Positioned<ImagePath> Path, SourcePosition Position = default) : ImageCheck(Position)
{
    /// <summary>true: the path exists (the default when nothing else is asked); false: it does not.</summary>
    public bool? Exists { get; init; }

    public ImageEntryType? Type { get; init; }

    /// <summary>Permission bits with setuid, setgid and sticky (07777).</summary>
    public int? Mode { get; init; }

    /// <summary>The numeric owner; names are looked up in the image's /etc/passwd and /etc/group.</summary>
    public OwnerSpec? Owner { get; init; }

    /// <summary>Bytes of content (regular files).</summary>
    public long? Size { get; init; }

    /// <summary>The sha256 of the content (regular files).</summary>
    public Digest? Sha256 { get; init; }

    /// <summary>Text the content holds, as UTF-8 bytes (regular files).</summary>
    public string? Contains { get; init; }

    /// <summary>A symlink's target as written, or a hard link's target path.</summary>
    public string? Target { get; init; }
}

/// <summary>What the image's runtime config must hold; every property left null is not checked.</summary>
public sealed record ConfigCheck(SourcePosition Position = default) : ImageCheck(Position)
{
    /// <summary>The config's <c>User</c> exactly as it stands.</summary>
    public string? User { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public string? WorkingDir { get; init; }

    /// <summary>Variables the config's <c>Env</c> must hold with these values (others may be there too).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    /// <summary>Labels the config must hold with these values (others may be there too).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];
}

/// <summary>The entry types a check can ask for (recipe <c>type</c>).</summary>
public enum ImageEntryType
{
    /// <summary><c>file</c>: a regular file (a hard link counts as the file it names).</summary>
    File,

    /// <summary><c>dir</c></summary>
    Directory,

    /// <summary><c>symlink</c></summary>
    Symlink,

    /// <summary><c>char</c>: a character device.</summary>
    CharDevice,

    /// <summary><c>block</c>: a block device.</summary>
    BlockDevice,

    /// <summary><c>fifo</c>: a named pipe.</summary>
    Fifo,
}
