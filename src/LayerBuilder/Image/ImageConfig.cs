using System.Text.Json.Nodes;
using LayerBuilder.Text;

namespace LayerBuilder.Image;

/// <summary>
/// The image config (image-spec config.md; the same JSON serves Docker and OCI). Its sha256 is the image
/// id. Serialization is fixed: keys in one order, compact, so the id reproduces.
/// </summary>
public sealed record ImageConfig(
    Platform Platform,
    DateTimeOffset Created,
    ContainerConfig Config,
    IReadOnlyList<Digest> DiffIds,
    IReadOnlyList<HistoryEntry> History)
{
    public byte[] ToJson() => CanonicalJson.ToBytes(ToNode());

    public JsonObject ToNode()
    {
        var node = new JsonObject
        {
            ["architecture"] = Platform.Architecture,
            ["config"] = ConfigNode(Config),
            ["created"] = CanonicalJson.Timestamp(Created),
            ["history"] = new JsonArray(History.Select(HistoryNode).ToArray()),
            ["os"] = Platform.Os,
            ["rootfs"] = new JsonObject
            {
                ["type"] = "layers",
                ["diff_ids"] = CanonicalJson.Array(DiffIds.Select(d => d.ToString())),
            },
        };
        if (Platform.Variant is { } variant)
        {
            node["variant"] = variant;
        }

        return node;
    }

    /// <summary>Docker's container.Config field names, only the fields that are set.</summary>
    public static JsonObject ConfigNode(ContainerConfig config)
    {
        var node = new JsonObject();
        if (config.User is { } user)
        {
            node["User"] = user;
        }

        if (config.ExposedPorts.Count > 0)
        {
            node["ExposedPorts"] = CanonicalJson.EmptyObjects(config.ExposedPorts);
        }

        if (config.Env.Count > 0)
        {
            node["Env"] = CanonicalJson.Array(config.Env);
        }

        if (config.Entrypoint is { } entrypoint)
        {
            node["Entrypoint"] = CanonicalJson.Array(entrypoint);
        }

        if (config.Cmd is { } cmd)
        {
            node["Cmd"] = CanonicalJson.Array(cmd);
        }

        if (config.Healthcheck is { } hc)
        {
            var health = new JsonObject { ["Test"] = CanonicalJson.Array(hc.Test) };
            AddIfSet(health, "Interval", hc.Interval);
            AddIfSet(health, "Timeout", hc.Timeout);
            AddIfSet(health, "StartPeriod", hc.StartPeriod);
            AddIfSet(health, "StartInterval", hc.StartInterval);
            AddIfSet(health, "Retries", hc.Retries);
            node["Healthcheck"] = health;
        }

        if (config.Volumes.Count > 0)
        {
            node["Volumes"] = CanonicalJson.EmptyObjects(config.Volumes);
        }

        if (config.WorkingDir is { } workdir)
        {
            node["WorkingDir"] = workdir;
        }

        if (config.Labels.Count > 0)
        {
            node["Labels"] = CanonicalJson.SortedObject(config.Labels);
        }

        if (config.StopSignal is { } signal)
        {
            node["StopSignal"] = signal;
        }

        return node;
    }

    private static void AddIfSet(JsonObject node, string key, long? value)
    {
        if (value is { } v)
        {
            node[key] = v;
        }
    }

    private static JsonNode HistoryNode(HistoryEntry entry)
    {
        if (entry.Inherited is { } inherited)
        {
            return inherited.DeepClone();
        }

        var node = new JsonObject();
        if (entry.Created is { } created)
        {
            node["created"] = CanonicalJson.Timestamp(created);
        }

        if (entry.CreatedBy is { } by)
        {
            node["created_by"] = by;
        }

        if (entry.Comment is { } comment)
        {
            node["comment"] = comment;
        }

        if (entry.EmptyLayer)
        {
            node["empty_layer"] = true;
        }

        return node;
    }
}
