using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Recipe;

/// <summary>
/// The bounds a recipe's shape must keep. A recipe may come from a pull request or a generator, so its
/// size and structure are not trusted: each bound is far above what a real recipe needs and is checked
/// before memory or stack is spent on what it guards.
/// </summary>
internal static class RecipeLimits
{
    /// <summary>Lists and mappings inside each other (the root mapping is level 1); a real recipe uses about 6.</summary>
    public const int MaxNesting = 64;

    /// <summary>
    /// Values (scalars, lists, mappings) in the recipe with every alias replaced by what it names: aliases
    /// of aliases multiply ("billion laughs"), and everything that walks the recipe walks the expansion.
    /// </summary>
    public const long MaxExpandedValues = 1_000_000;

    /// <summary>Characters of text with every alias expanded, and characters that ${NAME} references put in.</summary>
    public const long MaxExpandedCharacters = 64L << 20;

    /// <summary>The recipe file itself (a recipe that inlines content is still far smaller).</summary>
    public const long MaxFileBytes = 64L << 20;

    /// <summary>The recipe file as <see cref="SmallInputFile"/> reads it: every problem is LB2013.</summary>
    public static readonly InputFileKind File = new("recipe", "layerbuild.yml", MaxFileBytes,
        "a recipe names its files (copy, extract) rather than holding them", DiagnosticCodes.RecipeNotFound);
}
