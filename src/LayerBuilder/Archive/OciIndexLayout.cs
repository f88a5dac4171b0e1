using System.Text.Json.Nodes;
using LayerBuilder.Image;
using LayerBuilder.Text;

namespace LayerBuilder.Archive;

/// <summary>
/// The <c>oci</c> layout of an image with several platforms (docs/archive-formats.md, "Several
/// platforms"; docs/decisions.md D57): every platform's config, manifest and layers, and the image index
/// over them, in <c>blobs/sha256</c>; <c>index.json</c> names that index once per tag, as Docker 25+ and
/// BuildKit write a multi-platform image; <c>manifest.json</c> lists the first platform's image only, so a
/// docker-archive loader loads one image under the tags instead of each platform over the last.
/// </summary>
internal static class OciIndexLayout
{
    private static readonly byte[] LayoutFile = """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray();

    public static IReadOnlyList<ArchiveMember> Members(ImageIndex index)
    {
        var members = new List<ArchiveMember>
        {
            ArchiveMember.Bytes("oci-layout", LayoutFile),
            ArchiveMember.Bytes(Blob(index.Descriptor.Digest), index.Bytes),
        };
        var names = new HashSet<string>(StringComparer.Ordinal) { Blob(index.Descriptor.Digest) };
        foreach (var image in index.Images)
        {
            // Platforms may share blobs (a layer of the same files, even a config): the layout holds each once.
            AddBytes(members, names, Blob(image.ConfigDescriptor.Digest), image.ConfigBytes);
            AddBytes(members, names, Blob(image.ManifestDescriptor.Digest), image.ManifestBytes);
            foreach (var layer in image.Layers)
            {
                if (names.Add(Blob(layer.Digest)))
                {
                    members.Add(ArchiveMember.Layer(Blob(layer.Digest), layer));
                }
            }
        }

        var first = index.First;
        var descriptors = first.Tags.Select(tag =>
        {
            var annotations = new SortedDictionary<string, string>(first.Annotations.ToDictionary(), StringComparer.Ordinal)
            {
                ["io.containerd.image.name"] = $"{first.Reference.Full}:{tag}",
                ["org.opencontainers.image.ref.name"] = tag,
            };
            return (JsonNode?)ImageModel.DescriptorNode(index.Descriptor with { Annotations = annotations });
        });
        var layoutIndex = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.ImageIndex,
            ["manifests"] = new JsonArray(descriptors.ToArray()),
        };
        members.Add(ArchiveMember.Bytes("index.json", CanonicalJson.ToBytes(layoutIndex)));

        var manifest = new JsonArray(new JsonObject
        {
            ["Config"] = Blob(first.ConfigDescriptor.Digest),
            ["RepoTags"] = CanonicalJson.Array(first.RepoTags),
            ["Layers"] = CanonicalJson.Array(first.Layers.Select(l => Blob(l.Digest))),
        });
        members.Add(ArchiveMember.Bytes("manifest.json", CanonicalJson.ToBytes(manifest, trailingNewline: true)));
        return members;
    }

    private static void AddBytes(List<ArchiveMember> members, HashSet<string> names, string name, byte[] bytes)
    {
        if (names.Add(name))
        {
            members.Add(ArchiveMember.Bytes(name, bytes));
        }
    }

    private static string Blob(Digest digest) => "blobs/sha256/" + digest.Hex;
}
