using System.Text.Json.Nodes;
using LayerBuilder.Archive;
using LayerBuilder.Image;
using LayerBuilder.Recipe;
using LayerBuilder.Text;

namespace LayerBuilder.Faults;

/// <summary>
/// The archive-level faults, as a decorator of the save format's member list: the image's config,
/// manifest and layers are computed as always, and only the members that carry them are changed or left
/// out here (docs/fixtures.md, "Fixtures that break on purpose"). The writer neither knows nor asks.
/// </summary>
internal sealed class FaultyArchiveMembers(IArchiveMembers inner, IReadOnlyCollection<ImageFault> faults) : IArchiveMembers
{
    public IReadOnlyList<ArchiveMember> Of(ImageModel image, ArchiveFormat format)
    {
        var members = new List<ArchiveMember>();
        var top = image.Layers.Count > 0 ? image.Layers[^1] : null;
        var configNames = new[] { image.ImageId.Hex + ".json", "blobs/sha256/" + image.ImageId.Hex };
        var manifestName = "blobs/sha256/" + image.ManifestDescriptor.Digest.Hex;
        foreach (var member in inner.Of(image, format))
        {
            switch (member)
            {
                case LayerMember layer when ReferenceEquals(layer.Blob, top) && faults.Contains(ImageFault.MissingLayer):
                    break;
                case LayerMember layer when ReferenceEquals(layer.Blob, top) && faults.Contains(ImageFault.TruncatedLayer):
                    members.Add(ArchiveMember.Layer(layer.Name, new TruncatedLayer(layer.Blob)));
                    break;
                case MetadataMember config when configNames.Contains(config.Name) && faults.Contains(ImageFault.ConfigDigestMismatch):
                    members.Add(ArchiveMember.Bytes(config.Name, Reordered(config.Content)));
                    break;
                case MetadataMember manifest when manifest.Name == manifestName && faults.Contains(ImageFault.MissingManifest):
                    break;
                default:
                    members.Add(member);
                    break;
            }
        }

        return members;
    }

    /// <summary>The same JSON with its top-level keys in reverse order: same meaning, same size, other bytes.</summary>
    private static byte[] Reordered(ReadOnlyMemory<byte> json)
    {
        var node = JsonNode.Parse(json.Span)!.AsObject();
        var reversed = new JsonObject();
        foreach (var (key, value) in node.Reverse().ToList())
        {
            node.Remove(key);
            reversed[key] = value;
        }

        return CanonicalJson.ToBytes(reversed);
    }
}
