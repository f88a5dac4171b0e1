namespace LayerBuilder.Image;

/// <summary>One item of the config's history (image-spec config.md). Layers and non-empty history
/// entries correspond one to one; loaders reject more non-empty entries than layers.</summary>
public sealed record HistoryEntry(DateTimeOffset? Created, string? CreatedBy, string? Comment, bool EmptyLayer = false);
