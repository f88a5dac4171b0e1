using LayerBuilder.Recipe;

namespace LayerBuilder.MSBuild;

/// <summary>
/// The recipe a publish builds (docs/msbuild.md, "How the properties and layerbuild.yml compose"):
/// without a recipe file, the one the properties make; with a file that has <c>image:</c>, that file
/// alone; with a file without <c>image:</c>, that file laid over the property-made recipe.
/// </summary>
internal static class RecipeComposer
{
    public static BuildRecipe Compose(string? recipe, string generatedRecipe, RecipeOptions options)
    {
        if (string.IsNullOrEmpty(recipe))
        {
            return RecipeParser.ParseFile(generatedRecipe, options);
        }

        return RecipeParser.ParseFile(recipe, options with { Underlay = () => RecipeParser.ParseFile(generatedRecipe, options) });
    }
}
