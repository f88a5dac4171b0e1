namespace LayerBuilder.Base;

/// <summary>One image found in a base archive or layout: the names it goes by, where its parts are, and the
/// JSON file that lists it (manifest.json, index.json), for messages about those parts.</summary>
internal sealed record BaseImageCandidate(string ListedIn, IReadOnlyList<string> Names, string ConfigPath, string? ConfigDigest, IReadOnlyList<string> LayerPaths)
{
    public string Describe => Names.Count > 0 ? string.Join(", ", Names) : $"(untagged image {ConfigPath})";
}
