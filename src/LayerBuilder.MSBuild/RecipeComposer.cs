using LayerBuilder.Recipe;

namespace LayerBuilder.MSBuild;

/// <summary>
/// The recipe a publish builds (docs/msbuild.md, "How the properties and layerbuild.yml compose"):
/// without a recipe file, the one the properties make; with a file that has <c>image:</c>, that file
/// alone; with a file without <c>image:</c>, that file laid over the property-made recipe.
/// </summary>
internal static class RecipeComposer
{
    public static BuildRecipe Compose(string? recipe, string generatedRecipe, RecipeOptions options, string? commitTime)
    {
        // The generated recipe uses no arg: whether one is used is the user's recipe's say.
        var composed = string.IsNullOrEmpty(recipe)
            ? RecipeParser.ParseFile(generatedRecipe, options)
            : RecipeParser.ParseFile(recipe, options with { Underlay = () => RecipeParser.ParseFile(generatedRecipe, options with { QuietArgs = null }) });

        // Nothing set a time (no LayerBuildCreated, recipe created or SOURCE_DATE_EPOCH): the image is as old
        // as its commit, while every entry keeps 1970, so a new commit does not change every layer.
        return composed.Created == DateTimeOffset.UnixEpoch && CommitTimes.TryParse(commitTime, out var time)
            ? composed with { ImageCreated = time }
            : composed;
    }
}
