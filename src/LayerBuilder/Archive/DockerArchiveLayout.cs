using System.Text.Json.Nodes;
using LayerBuilder.Image;
using LayerBuilder.Text;

namespace LayerBuilder.Archive;

/// <summary>
/// The classic <c>docker save</c> layout (docs/archive-formats.md, "`docker`: the classic `docker save` layout"): <c>&lt;v1id&gt;/VERSION</c>,
/// <c>&lt;v1id&gt;/json</c>, <c>&lt;v1id&gt;/layer.tar</c> per layer, <c>&lt;config hex&gt;.json</c>,
/// <c>manifest.json</c> and <c>repositories</c>. The legacy files make it loadable by Docker's pre-1.10
/// path too, when a tool drops manifest.json.
/// </summary>
internal static class DockerArchiveLayout
{
    private static readonly byte[] Version = "1.0"u8.ToArray();

    public static IReadOnlyList<ArchiveMember> Members(ImageModel image)
    {
        var members = new List<ArchiveMember>();
        var configName = image.ImageId.Hex + ".json";
        members.Add(ArchiveMember.Bytes(configName, image.ConfigBytes));
        for (var i = 0; i < image.Layers.Count; i++)
        {
            var id = image.Legacy[i].Id;
            members.Add(ArchiveMember.Bytes($"{id}/VERSION", Version));
            members.Add(ArchiveMember.Bytes($"{id}/json", image.Legacy[i].Json));

            // A regular file, never a link: containerd and containers/image do not follow outer-tar links.
            members.Add(ArchiveMember.Layer($"{id}/layer.tar", image.Layers[i]));
        }

        var manifest = new JsonArray(new JsonObject
        {
            ["Config"] = configName,
            ["RepoTags"] = CanonicalJson.Array(image.RepoTags),
            ["Layers"] = CanonicalJson.Array(image.Legacy.Select(l => $"{l.Id}/layer.tar")),
        });
        members.Add(ArchiveMember.Bytes("manifest.json", CanonicalJson.ToBytes(manifest, trailingNewline: true)));

        if (image.Layers.Count > 0)
        {
            var top = image.Legacy[^1].Id;
            var tags = new JsonObject();
            foreach (var tag in image.Tags)
            {
                tags[tag] = top;
            }

            var repositories = new JsonObject { [image.Reference.Familiar] = tags };
            members.Add(ArchiveMember.Bytes("repositories", CanonicalJson.ToBytes(repositories, trailingNewline: true)));
        }

        return members;
    }
}
