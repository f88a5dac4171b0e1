using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;

namespace LayerBuilder.Recipe;

/// <summary>
/// A validated recipe (docs/recipe.md). Immutable; every value that a later phase may complain about
/// keeps its position. Two producers make it and check it the same way: <see cref="RecipeParser"/> from
/// YAML and <see cref="RecipeBuilder"/> from code. Positions are optional: one left out (<c>default</c>)
/// reads "recipe built in code" in diagnostics. Only <see cref="Image"/> has no default; the others
/// default as the recipe keys do. YamlDotNet types never appear here.
/// </summary>
public sealed record BuildRecipe
{
    /// <summary>The recipe file as the user named it (used in diagnostics and to keep <c>-o</c> from
    /// overwriting it); null for a recipe built in code.</summary>
    public string? File { get; init; }

    /// <summary>The folder relative host paths were resolved against (host paths in the model are full).</summary>
    public string BaseDirectory { get; init; } = Environment.CurrentDirectory;

    public required Positioned<ImageReference> Image { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [DefaultTag];

    public Platform Platform { get; init; } = Platform.LinuxAmd64;

    /// <summary>Whether the recipe (not the default) chose the platform; a base image's platform wins otherwise.</summary>
    public bool PlatformSet { get; init; }

    public DateTimeOffset Created { get; init; } = DateTimeOffset.UnixEpoch;

    /// <summary>
    /// The image's own time (config and history <c>created</c>) when it is not <see cref="Created"/>: the
    /// publish route's commit time (docs/msbuild.md, "Time"), which must not reach the entries' mtimes, or
    /// every commit would change every layer. Null: <see cref="Created"/>.
    /// </summary>
    internal DateTimeOffset? ImageCreated { get; init; }

    /// <summary>Warnings found while reading the recipe (an arg no one uses); the build reports them.</summary>
    internal IReadOnlyList<Diagnostic> Warnings { get; init; } = [];

    /// <summary>What a front end knows the finished image needs (the publish route's guard rails).</summary>
    internal IReadOnlyList<Planning.ImageRequirement> ImageRequirements { get; init; } = [];

    /// <summary>The config's and history's <c>created</c>.</summary>
    internal DateTimeOffset ImageTime => ImageCreated ?? Created;

    public BaseSpec Base { get; init; } = new ScratchBase();

    public EntryDefaults Defaults { get; init; } = EntryDefaults.Standard;

    public ConfigSpec Config { get; init; } = new();

    public IReadOnlyList<StepSpec> Steps { get; init; } = [];

    /// <summary>Defects to write into the image on purpose (recipe <c>faults</c>; docs/fixtures.md); empty
    /// for a sound image.</summary>
    public IReadOnlyList<Positioned<ImageFault>> Faults { get; init; } = [];
    /// <summary>Assertions on the finished image (recipe <c>checks</c>), evaluated before the archive is
    /// written; a failed one fails the build (docs/recipe.md, "Checks").</summary>
    public IReadOnlyList<ImageCheck> Checks { get; init; } = [];

    /// <summary>
    /// One recipe per platform of a recipe with <c>platforms</c> (docs/recipe.md, "Several platforms"), in
    /// its order, each with its <see cref="Platform"/> and with the steps its <c>TARGET*</c> args made; the
    /// build writes one image each and an image index over them. Empty for a recipe of one platform; a
    /// recipe with platforms is itself the first platform's (with this list).
    /// </summary>
    public IReadOnlyList<BuildRecipe> PlatformRecipes { get; init; } = [];

    /// <summary>Whether this is one platform's recipe of a recipe with <c>platforms</c>: its base must have
    /// an image of exactly this platform (LB2030).</summary>
    internal bool OfPlatforms { get; init; }

    /// <summary>The tag of a recipe that names none.</summary>
    public const string DefaultTag = "latest";
}

/// <summary>Metadata for entries that set none of their own (recipe <c>defaults</c>).</summary>
public sealed record EntryDefaults(OwnerSpec Owner, int DirMode, int FileMode)
{
    /// <summary>What a recipe without <c>defaults</c> gets: owner 0:0, folders 0755, files 0644.</summary>
    public static EntryDefaults Standard { get; } = new(OwnerSpec.Root, Permissions.DefaultDirectory, Permissions.DefaultFile);
}

/// <summary>The base the steps stack on.</summary>
public abstract record BaseSpec(SourcePosition Position);

public sealed record ScratchBase(SourcePosition Position = default) : BaseSpec(Position);

/// <summary>A root filesystem from a tar (optionally compressed) or a host folder; it becomes layer 0.</summary>
public sealed record RootfsBase(string HostPath, SourcePosition Position = default) : BaseSpec(Position);

/// <summary>An image from a save-format archive (<c>image:</c>) or an OCI layout folder or tar
/// (<c>layout:</c>): its layers, config and history are inherited.</summary>
public sealed record ImageBase(string HostPath, bool IsLayout, Positioned<string>? Ref = null, SourcePosition Position = default) : BaseSpec(Position);

/// <summary>An image in a registry, named as Dockerfile <c>FROM</c> names one (<c>debian:12</c>,
/// <c>127.0.0.1:5000/team/base:1</c>, <c>registry.example/base@sha256:…</c>): pulled (or taken from the
/// cache), then inherited as an image archive's base is (docs/recipe.md).</summary>
public sealed record RegistryBase(string Reference, SourcePosition Position = default) : BaseSpec(Position);

/// <summary>The image's runtime config (OCI config.md "config"); null means "not set by the recipe".</summary>
public sealed record ConfigSpec
{
    /// <summary>Environment variables in order, merged by name over the base's. Each value is a template:
    /// <c>${env.NAME}</c> is NAME's value in the base's env (with Docker's default PATH), <c>$$</c> is a
    /// literal <c>$</c> (docs/recipe.md "env references").</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    /// <summary>Where each env value was written, for an unknown <c>${env.NAME}</c> found at the merge.</summary>
    internal IReadOnlyDictionary<string, SourcePosition> EnvPositions { get; init; } = new Dictionary<string, SourcePosition>();

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public string? WorkingDir { get; init; }

    /// <summary>The user the container runs as (<c>uid[:gid]</c> or names), with its position, so names
    /// can be checked against the image; the config gets its text.</summary>
    public OwnerSpec? User { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Normalized "port/proto" keys.</summary>
    public IReadOnlyList<string> ExposedPorts { get; init; } = [];

    public IReadOnlyList<string> Volumes { get; init; } = [];

    public string? StopSignal { get; init; }

    public HealthcheckSpec? Healthcheck { get; init; }
}

/// <summary>One step: exactly one layer.</summary>
public sealed record StepSpec
{
    public required int Index { get; init; }

    public string? Name { get; init; }

    public SourcePosition Position { get; init; }

    public IReadOnlyList<CopySpec> Copy { get; init; } = [];

    public IReadOnlyList<FileSpec> Files { get; init; } = [];

    public IReadOnlyList<DirSpec> Dirs { get; init; } = [];

    public IReadOnlyList<LinkSpec> Symlinks { get; init; } = [];

    public IReadOnlyList<LinkSpec> Hardlinks { get; init; } = [];

    public IReadOnlyList<Positioned<ImagePath>> Remove { get; init; } = [];

    /// <summary>Device nodes and FIFOs: tar entries only, never made on the host.</summary>
    public IReadOnlyList<NodeSpec> Nodes { get; init; } = [];

    /// <summary>Explicit <c>.wh.NAME</c> entries, written whether or not a lower layer has the path.</summary>
    public IReadOnlyList<Positioned<ImagePath>> Whiteouts { get; init; } = [];

    /// <summary>Folders marked opaque (<c>.wh..wh..opq</c>), whether or not a lower layer has them.</summary>
    public IReadOnlyList<Positioned<ImagePath>> Opaque { get; init; } = [];

    public IReadOnlyList<ExtractSpec> Extract { get; init; } = [];

    /// <summary>Accounts added to the image's <c>/etc/passwd</c>, <c>/etc/group</c> and <c>/etc/shadow</c>.</summary>
    public IReadOnlyList<UserSpec> Users { get; init; } = [];

    /// <summary>What the image history shows for this step.</summary>
    public string Description => Name ?? $"step {Index + 1}";
}

public sealed record CopySpec
{
    public required Positioned<string> Source { get; init; }

    /// <summary>The destination as written; a trailing '/' means "into this folder".</summary>
    public required Positioned<string> Destination { get; init; }

    public IReadOnlyList<Positioned<string>> Include { get; init; } = [];

    public IReadOnlyList<Positioned<string>> Exclude { get; init; } = [];

    public int? Mode { get; init; }

    public int? DirMode { get; init; }

    public OwnerSpec? Owner { get; init; }

    public bool PreserveMode { get; init; }

    /// <summary>Carry each copied file's and folder's own extended attributes from the host (Linux).</summary>
    public bool PreserveXattrs { get; init; }

    /// <summary>Extended attributes every copied entry gets (over the host's with <see cref="PreserveXattrs"/>).</summary>
    public IReadOnlyDictionary<string, byte[]>? Xattrs { get; init; }

    /// <summary>The mtime of every copied entry, instead of the recipe's <c>created</c>.</summary>
    public DateTimeOffset? ModifiedTime { get; init; }

    public SourcePosition Position { get; init; }
}

/// <summary>A tar (plain, gzip, bzip2 or zstd) unpacked under <c>dest</c>, entries keeping their own metadata.</summary>
public sealed record ExtractSpec(Positioned<string> Source, Positioned<ImagePath> Destination, SourcePosition Position = default);

public sealed record FileSpec(Positioned<ImagePath> Path, ReadOnlyMemory<byte> Content, int? Mode = null, OwnerSpec? Owner = null, SourcePosition Position = default)
{
    /// <summary>Extended attributes by name, values as bytes (PAX <c>SCHILY.xattr.NAME</c>).</summary>
    public IReadOnlyDictionary<string, byte[]>? Xattrs { get; init; }

    /// <summary>The entry's mtime, instead of the recipe's <c>created</c>.</summary>
    public DateTimeOffset? ModifiedTime { get; init; }
}

public sealed record DirSpec(Positioned<ImagePath> Path, int? Mode = null, OwnerSpec? Owner = null, SourcePosition Position = default)
{
    /// <inheritdoc cref="FileSpec.Xattrs"/>
    public IReadOnlyDictionary<string, byte[]>? Xattrs { get; init; }

    /// <inheritdoc cref="FileSpec.ModifiedTime"/>
    public DateTimeOffset? ModifiedTime { get; init; }
}

/// <summary>
/// An account a step adds (<c>users:</c>, docs/recipe.md): <see cref="Gid"/> defaults to the uid, with a
/// group named as the user made for it when the image has no group of that id; <see cref="Home"/> to
/// <c>/home/NAME</c>; <see cref="Shell"/> to <c>/bin/sh</c>; <see cref="Groups"/> are supplementary groups by name.
/// </summary>
public sealed record UserSpec(Positioned<string> Name, int Uid, int? Gid = null, string? Home = null, string? Shell = null, IReadOnlyList<string>? Groups = null, SourcePosition Position = default)
{
    /// <summary>The home folder: <see cref="Home"/>, else <c>/home/NAME</c>.</summary>
    public string HomeFolder => Home ?? "/home/" + Name.Value;

    /// <summary>The login shell: <see cref="Shell"/>, else <c>/bin/sh</c> (what Debian's useradd gives).</summary>
    public string LoginShell => Shell ?? "/bin/sh";

    /// <summary>The primary group id: <see cref="Gid"/>, else the uid.</summary>
    public int GroupId => Gid ?? Uid;
}

/// <summary>A symlink (target kept as written) or a hardlink (target is an image path).</summary>
public sealed record LinkSpec(Positioned<ImagePath> Path, Positioned<string> Target, OwnerSpec? Owner = null, SourcePosition Position = default)
{
    /// <inheritdoc cref="FileSpec.ModifiedTime"/>
    public DateTimeOffset? ModifiedTime { get; init; }
}

/// <summary>The kinds of node a step can write (recipe <c>type: char|block|fifo</c>).</summary>
public enum NodeType
{
    /// <summary>A character device (<c>char</c>), tar type 3.</summary>
    CharDevice,

    /// <summary>A block device (<c>block</c>), tar type 4.</summary>
    BlockDevice,

    /// <summary>A named pipe (<c>fifo</c>), tar type 6.</summary>
    Fifo,
}

/// <summary>A device node or FIFO; <see cref="Major"/> and <see cref="Minor"/> are for devices only.</summary>
public sealed record NodeSpec(Positioned<ImagePath> Path, NodeType Type, int Major = 0, int Minor = 0, int? Mode = null, OwnerSpec? Owner = null, SourcePosition Position = default)
{
    /// <inheritdoc cref="FileSpec.Xattrs"/>
    public IReadOnlyDictionary<string, byte[]>? Xattrs { get; init; }

    /// <inheritdoc cref="FileSpec.ModifiedTime"/>
    public DateTimeOffset? ModifiedTime { get; init; }
}
