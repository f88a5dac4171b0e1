using LayerBuilder.Image;

namespace LayerBuilder.Recipe;

/// <summary>
/// What a platform of <c>platforms:</c> is to the build (docs/recipe.md, "Several platforms"): its
/// normal form, as BuildKit normalizes a <c>--platform</c> (<c>linux/arm64/v8</c> is <c>linux/arm64</c>,
/// <c>linux/arm</c> is <c>linux/arm/v7</c>, <c>linux/amd64/v1</c> is <c>linux/amd64</c>), and the args
/// Docker defines for it: <c>TARGETPLATFORM</c>, <c>TARGETOS</c>, <c>TARGETARCH</c>, <c>TARGETVARIANT</c>.
/// </summary>
internal static class TargetPlatform
{
    public const string PlatformArg = "TARGETPLATFORM";
    public const string OsArg = "TARGETOS";
    public const string ArchitectureArg = "TARGETARCH";
    public const string VariantArg = "TARGETVARIANT";

    /// <summary>The arg names, which a recipe's <c>args</c> and <c>--arg</c> cannot set: the build sets them.</summary>
    public static IReadOnlyList<string> ArgNames { get; } = [PlatformArg, OsArg, ArchitectureArg, VariantArg];

    public static Platform Normalize(Platform platform) => platform switch
    {
        { Architecture: "arm64", Variant: "v8" } => platform with { Variant = null },
        { Architecture: "amd64", Variant: "v1" } => platform with { Variant = null },
        { Architecture: "arm", Variant: null } => platform with { Variant = "v7" },
        _ => platform,
    };

    /// <summary>The four args, with Docker's values: <c>TARGETVARIANT</c> is empty when the platform has no variant.</summary>
    public static IReadOnlyDictionary<string, string> Args(Platform platform) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [PlatformArg] = platform.ToString(),
        [OsArg] = platform.Os,
        [ArchitectureArg] = platform.Architecture,
        [VariantArg] = platform.Variant ?? "",
    };
}
