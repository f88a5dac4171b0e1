using LayerBuilder.Image;

namespace LayerBuilder.Reading;

/// <summary>One image of an <see cref="ImageArchive"/>: its names, manifest, config and layers.</summary>
public sealed class ArchivedImage
{
    private readonly byte[] rawConfig;

    internal ArchivedImage(IReadOnlyList<string> names, Descriptor? manifest, Descriptor configDescriptor, byte[] rawConfig, ImageConfig config, IReadOnlyList<ArchivedLayer> layers)
    {
        Names = names;
        Manifest = manifest;
        ConfigDescriptor = configDescriptor;
        this.rawConfig = rawConfig;
        Config = config;
        Layers = layers;
    }

    /// <summary>The names the archive gives the image: manifest.json's <c>RepoTags</c> (<c>example/hello:1.0</c>),
    /// then index.json's names (<c>io.containerd.image.name</c>, else <c>org.opencontainers.image.ref.name</c>).
    /// Empty for an untagged image.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The image manifest (digest, size, media type, annotations), or null in a classic
    /// <c>docker save</c> archive, which stores no manifest.</summary>
    public Descriptor? Manifest { get; }

    /// <summary>The image index that lists this image as one of its platforms (its descriptor as index.json
    /// names it: media type, digest, size, annotations), or null when index.json names the manifest itself
    /// or the archive has no index.json. The images of one index share this value (docs/commands.md).</summary>
    public Descriptor? Index { get; internal init; }

    /// <summary>The config blob: its digest (the image id), size and media type.</summary>
    public Descriptor ConfigDescriptor { get; }

    /// <summary>The image id <c>docker images</c> shows: the sha256 of the config's bytes.</summary>
    public Digest Id => ConfigDescriptor.Digest;

    /// <summary>The config's exact bytes.</summary>
    public ReadOnlyMemory<byte> RawConfig => rawConfig;

    /// <summary>The config, parsed: platform, created, the runtime config (entrypoint, cmd, env, user,
    /// workdir, labels, ports, volumes...), the history and the diff ids.</summary>
    public ImageConfig Config { get; }

    public Platform Platform => Config.Platform;

    /// <summary>The layers, bottom first.</summary>
    public IReadOnlyList<ArchivedLayer> Layers { get; }

    /// <summary>The history entry that made <paramref name="layer"/>: the config's history entries that are
    /// not <c>empty_layer</c> match the layers one to one, in order. Null when the history has no entry for it.</summary>
    public HistoryEntry? HistoryOf(ArchivedLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return Config.History.Where(h => !h.EmptyLayer).ElementAtOrDefault(layer.Index);
    }

    /// <summary>
    /// The final filesystem: the layers stacked bottom first, whiteouts and opaque folders applied
    /// (image-spec layer.md). Each layer is read once, streaming; file contents are hashed as they pass
    /// (<see cref="FileSystemEntry.ContentDigest"/>) and never held.
    /// </summary>
    /// <exception cref="Diagnostics.LayerBuildException">A layer is damaged or hostile.</exception>
    public Task<ImageFileSystem> ReadFileSystemAsync(CancellationToken cancellationToken = default) =>
        FileSystemMerge.MergeAsync(Layers, cancellationToken);

    public override string ToString() => Describe(Names, Id);

    internal static string Describe(IReadOnlyList<string> names, Digest? config) =>
        names.Count > 0 ? string.Join(", ", names) : config is { } id ? $"untagged image {id.Hex[..12]}" : "untagged image";
}
