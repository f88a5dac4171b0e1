using System.Text.Json.Nodes;
using LayerBuilder.Text;

namespace LayerBuilder.Image;

/// <summary>
/// Everything an archive says about one image, computed once: config bytes and id, layers with their
/// diff ids, the OCI manifest, the legacy v1 data and the names. Both archive formats are written from
/// this one object, so order, digests and names cannot disagree between them.
/// </summary>
internal sealed class ImageModel
{
    private readonly Lazy<IReadOnlyList<LegacyV1Layer>> legacy;

    public ImageModel(ImageReference reference, IReadOnlyList<string> tags, ImageConfig config, IReadOnlyList<ILayer> layers, IReadOnlyDictionary<string, string> annotations)
    {
        if (config.DiffIds.Count != layers.Count || !config.DiffIds.SequenceEqual(layers.Select(l => l.DiffId)))
        {
            throw new ArgumentException("the config's diff ids must be the layers' diff ids, in order", nameof(config));
        }

        Reference = reference;
        Tags = tags;
        Config = config;
        Layers = layers;
        Annotations = annotations;
        ConfigBytes = config.ToJson();
        ConfigDescriptor = new Descriptor(MediaTypes.ImageConfig, Digest.Of(ConfigBytes), ConfigBytes.Length);
        ManifestBytes = CanonicalJson.ToBytes(ManifestNode());
        ManifestDescriptor = new Descriptor(MediaTypes.ImageManifest, Digest.Of(ManifestBytes), ManifestBytes.Length);
        legacy = new Lazy<IReadOnlyList<LegacyV1Layer>>(() => LegacyV1.Compute(config));
    }

    public ImageReference Reference { get; }

    public IReadOnlyList<string> Tags { get; }

    public ImageConfig Config { get; }

    public IReadOnlyList<ILayer> Layers { get; }

    /// <summary>Annotations of the OCI manifest (and of its index descriptors).</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; }

    public byte[] ConfigBytes { get; }

    public Descriptor ConfigDescriptor { get; }

    /// <summary>The image id: sha256 of the exact config bytes.</summary>
    public Digest ImageId => ConfigDescriptor.Digest;

    public byte[] ManifestBytes { get; }

    public Descriptor ManifestDescriptor { get; }

    public IReadOnlyList<LegacyV1Layer> Legacy => legacy.Value;

    /// <summary><c>name:tag</c> in Docker's familiar form, as manifest.json RepoTags carry them.</summary>
    public IEnumerable<string> RepoTags => Tags.Select(t => $"{Reference.Familiar}:{t}");

    /// <summary>Fully qualified <c>registry/name:tag</c>, as containerd names images.</summary>
    public IEnumerable<string> FullNames => Tags.Select(t => $"{Reference.Full}:{t}");

    private JsonObject ManifestNode()
    {
        var node = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.ImageManifest,
            ["config"] = DescriptorNode(ConfigDescriptor),
            ["layers"] = new JsonArray(Layers.Select(l => (JsonNode?)DescriptorNode(LayerDescriptor(l))).ToArray()),
        };
        if (Annotations.Count > 0)
        {
            node["annotations"] = CanonicalJson.SortedObject(Annotations);
        }

        return node;
    }

    /// <summary>The layer as the OCI manifest names it: its blob, compressed or not.</summary>
    public static Descriptor LayerDescriptor(ILayer layer) => new(layer.MediaType, layer.Digest, layer.Size);

    public static JsonObject DescriptorNode(Descriptor descriptor)
    {
        var node = new JsonObject
        {
            ["mediaType"] = descriptor.MediaType,
            ["digest"] = descriptor.Digest.ToString(),
            ["size"] = descriptor.Size,
        };
        if (descriptor.Annotations.Count > 0)
        {
            node["annotations"] = CanonicalJson.SortedObject(descriptor.Annotations);
        }

        return node;
    }
}
