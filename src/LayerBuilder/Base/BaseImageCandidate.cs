namespace LayerBuilder.Base;

/// <summary>One image found in a base archive or layout: the names it goes by and where its parts are.</summary>
internal sealed record BaseImageCandidate(IReadOnlyList<string> Names, string ConfigPath, string? ConfigDigest, IReadOnlyList<string> LayerPaths)
{
    /// <summary>The JSON file that lists this image (manifest.json, index.json), for messages about its parts.</summary>
    public string ListedIn { get; init; } = "manifest.json";

    public string Describe => Names.Count > 0 ? string.Join(", ", Names) : $"(untagged image {ConfigPath})";
}
