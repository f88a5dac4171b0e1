using System.Text.Json.Nodes;
using LayerBuilder.Text;

namespace LayerBuilder.Image;

/// <summary>
/// The OCI image index of a recipe with several platforms (image-spec image-index.md): one manifest
/// descriptor per platform, in the recipe's order, each with its <c>platform</c> object, and the
/// recipe's annotations. The same bytes go into the <c>oci</c> layout's blobs and to the registry, so the
/// index digest printed is the one a registry serves (docs/archive-formats.md, "Several platforms").
/// </summary>
internal sealed class ImageIndex
{
    public ImageIndex(IReadOnlyList<ImageModel> images, IReadOnlyDictionary<string, string> annotations)
    {
        if (images.Count == 0)
        {
            throw new ArgumentException("an index needs at least one image", nameof(images));
        }

        Images = images;
        var node = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.ImageIndex,
            ["manifests"] = new JsonArray(images.Select(i => (JsonNode?)ManifestEntry(i)).ToArray()),
        };
        if (annotations.Count > 0)
        {
            node["annotations"] = CanonicalJson.SortedObject(annotations);
        }

        Bytes = CanonicalJson.ToBytes(node);
        Descriptor = new Descriptor(MediaTypes.ImageIndex, Digest.Of(Bytes), Bytes.Length);
    }

    /// <summary>The platforms' images, in the recipe's order; all share names, tags and annotations.</summary>
    public IReadOnlyList<ImageModel> Images { get; }

    public ImageModel First => Images[0];

    public byte[] Bytes { get; }

    public Descriptor Descriptor { get; }

    /// <summary>The platform object image-spec gives a manifest descriptor: architecture, os, variant when there is one.</summary>
    public static JsonObject PlatformNode(Platform platform)
    {
        var node = new JsonObject
        {
            ["architecture"] = platform.Architecture,
            ["os"] = platform.Os,
        };
        if (platform.Variant is { } variant)
        {
            node["variant"] = variant;
        }

        return node;
    }

    private static JsonObject ManifestEntry(ImageModel image)
    {
        var node = ImageModel.DescriptorNode(image.ManifestDescriptor);
        node["platform"] = PlatformNode(image.Config.Platform);
        return node;
    }
}
