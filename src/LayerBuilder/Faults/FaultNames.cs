using LayerBuilder.Recipe;

namespace LayerBuilder.Faults;

/// <summary>The recipe's names of the faults (docs/recipe.md, <c>faults</c>), one per <see cref="ImageFault"/>.</summary>
internal static class FaultNames
{
    private static readonly Dictionary<string, ImageFault> ByName = new(StringComparer.Ordinal)
    {
        ["layer-digest-mismatch"] = ImageFault.LayerDigestMismatch,
        ["missing-layer"] = ImageFault.MissingLayer,
        ["config-digest-mismatch"] = ImageFault.ConfigDigestMismatch,
        ["path-traversal"] = ImageFault.PathTraversal,
        ["absolute-path"] = ImageFault.AbsolutePath,
        ["symlink-escape"] = ImageFault.SymlinkEscape,
        ["truncated-layer"] = ImageFault.TruncatedLayer,
        ["missing-manifest"] = ImageFault.MissingManifest,
    };

    public static IReadOnlyCollection<string> All => ByName.Keys;

    public static bool TryParse(string name, out ImageFault fault) => ByName.TryGetValue(name, out fault);

    public static string NameOf(ImageFault fault) => ByName.First(p => p.Value == fault).Key;
}
