namespace LayerBuilder.Image;

/// <summary>One item of the config's history (image-spec config.md). Layers and non-empty history
/// entries correspond one to one; loaders reject more non-empty entries than layers.</summary>
public sealed record HistoryEntry(DateTimeOffset? Created, string? CreatedBy, string? Comment, bool EmptyLayer = false)
{
    /// <summary>A base image's entry, kept byte for byte as it was (only our own entries get our created time).</summary>
    public System.Text.Json.Nodes.JsonObject? Inherited { get; init; }
}
