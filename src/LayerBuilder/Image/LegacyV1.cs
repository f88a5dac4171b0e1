using System.Text.Json.Nodes;
using LayerBuilder.Text;

namespace LayerBuilder.Image;

/// <summary>
/// The v1 compatibility data of the classic <c>docker save</c> layout (docs/archive-formats.md):
/// one <c>&lt;v1id&gt;/json</c> per layer, only the top one carrying the image config, and ids derived
/// CreateID-style (sha256 over the layer's v1 JSON with its chain id and parent id added, keys sorted).
/// No loader verifies the ids; they only have to be unique and reproducible.
/// </summary>
internal sealed record LegacyV1Layer(string Id, byte[] Json);

internal static class LegacyV1
{
    private static readonly string Epoch = CanonicalJson.Timestamp(DateTimeOffset.UnixEpoch);

    public static IReadOnlyList<LegacyV1Layer> Compute(ImageConfig config)
    {
        var chain = ChainId.Compute(config.DiffIds);
        var layers = new List<LegacyV1Layer>(chain.Count);
        string? parent = null;
        for (var i = 0; i < chain.Count; i++)
        {
            var top = i == chain.Count - 1;
            var body = Body(config, top);
            var hashed = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var (key, value) in body)
            {
                hashed[key] = value?.DeepClone();
            }

            hashed["layer_id"] = chain[i].ToString();
            if (parent is not null)
            {
                hashed["parent"] = "sha256:" + parent;
            }

            var id = Digest.Of(CanonicalJson.ToBytes(new JsonObject(hashed))).Hex;

            var json = new JsonObject { ["id"] = id };
            if (parent is not null)
            {
                json["parent"] = parent;
            }

            foreach (var (key, value) in body)
            {
                json[key] = value?.DeepClone();
            }

            layers.Add(new LegacyV1Layer(id, CanonicalJson.ToBytes(json)));
            parent = id;
        }

        return layers;
    }

    /// <summary>The V1Image fields in Docker's struct order; lower layers get epoch and an empty config.</summary>
    private static JsonObject Body(ImageConfig config, bool top)
    {
        var body = new JsonObject
        {
            ["created"] = top ? CanonicalJson.Timestamp(config.Created) : Epoch,
            ["container_config"] = ZeroContainerConfig(),
        };
        if (top)
        {
            body["config"] = ImageConfig.ConfigNode(config.Config);
            body["architecture"] = config.Platform.Architecture;
            if (config.Platform.Variant is { } variant)
            {
                body["variant"] = variant;
            }
        }

        body["os"] = config.Platform.Os;
        return body;
    }

    /// <summary>container.Config at its Go zero value, as Docker writes it for layers without a config.</summary>
    private static JsonObject ZeroContainerConfig() => new()
    {
        ["Hostname"] = "",
        ["Domainname"] = "",
        ["User"] = "",
        ["AttachStdin"] = false,
        ["AttachStdout"] = false,
        ["AttachStderr"] = false,
        ["Tty"] = false,
        ["OpenStdin"] = false,
        ["StdinOnce"] = false,
        ["Env"] = null,
        ["Cmd"] = null,
        ["Image"] = "",
        ["Volumes"] = null,
        ["WorkingDir"] = "",
        ["Entrypoint"] = null,
        ["OnBuild"] = null,
        ["Labels"] = null,
    };
}
