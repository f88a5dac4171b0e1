using System.Text.Json.Nodes;
using LayerBuilder.Image;
using LayerBuilder.Text;

namespace LayerBuilder.Archive;

/// <summary>
/// The Docker 25+ layout (docs/archive-formats.md, "`oci`: the Docker 25+ layout"): an OCI image layout (<c>oci-layout</c>,
/// <c>index.json</c>, <c>blobs/sha256/*</c>) that also carries <c>manifest.json</c> pointing at the same
/// blobs, so both OCI tools and every docker-archive loader read it. One index descriptor per tag,
/// named the way Docker names them: full name for containerd, tag for <c>ref.name</c>.
/// </summary>
internal static class OciArchiveLayout
{
    private static readonly byte[] LayoutFile = """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray();

    public static IReadOnlyList<ArchiveMember> Members(ImageModel image)
    {
        var members = new List<ArchiveMember>
        {
            ArchiveMember.Bytes("oci-layout", LayoutFile),
            ArchiveMember.Bytes(Blob(image.ConfigDescriptor.Digest), image.ConfigBytes),
            ArchiveMember.Bytes(Blob(image.ManifestDescriptor.Digest), image.ManifestBytes),
        };

        // Equal layers share one blob: the layout is content-addressed and names must not repeat.
        foreach (var layer in image.Layers.DistinctBy(l => l.Digest))
        {
            members.Add(ArchiveMember.Layer(Blob(layer.Digest), layer));
        }

        var descriptors = image.Tags.Select(tag =>
        {
            var annotations = new SortedDictionary<string, string>(image.Annotations.ToDictionary(), StringComparer.Ordinal)
            {
                ["io.containerd.image.name"] = $"{image.Reference.Full}:{tag}",
                ["org.opencontainers.image.ref.name"] = tag,
            };
            return (JsonNode?)ImageModel.DescriptorNode(image.ManifestDescriptor with { Annotations = annotations });
        });
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.ImageIndex,
            ["manifests"] = new JsonArray(descriptors.ToArray()),
        };
        members.Add(ArchiveMember.Bytes("index.json", CanonicalJson.ToBytes(index)));

        var manifest = new JsonArray(new JsonObject
        {
            ["Config"] = Blob(image.ConfigDescriptor.Digest),
            ["RepoTags"] = CanonicalJson.Array(image.RepoTags),
            ["Layers"] = CanonicalJson.Array(image.Layers.Select(l => Blob(l.Digest))),
        });
        members.Add(ArchiveMember.Bytes("manifest.json", CanonicalJson.ToBytes(manifest, trailingNewline: true)));
        return members;
    }

    private static string Blob(Digest digest) => "blobs/sha256/" + digest.Hex;
}
