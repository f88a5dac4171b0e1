using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Recipe;

namespace LayerBuilder.MSBuild;

/// <summary>
/// The recipe a publish builds (docs/msbuild.md, "How the properties and layerbuild.yml compose"):
/// without a recipe file, the one the properties make; with a file that has <c>image:</c>, that file
/// alone; with a file without <c>image:</c>, that file laid over the property-made recipe.
/// </summary>
internal static class RecipeComposer
{
    private const string PublishDirArg = "PublishDir";
    private const string RuntimeIdentifierArg = "RuntimeIdentifier";

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

    /// <summary>
    /// One image per runtime identifier in one index (docs/msbuild.md, "Several platforms"; decision D71):
    /// each publish's own generated recipe, with the recipe file laid over it as for one, read with that
    /// publish's <c>PublishDir</c> and <c>RuntimeIdentifier</c> args (unless a <c>LayerBuildArg</c> sets
    /// them). The result has the shape a recipe with <c>platforms:</c> has: the first platform's recipe,
    /// holding every platform's in <see cref="BuildRecipe.PlatformRecipes"/>.
    /// </summary>
    public static BuildRecipe ComposePlatforms(string? recipe, IReadOnlyList<PlatformPublish> publishes, RecipeOptions options, string? commitTime, string projectFile)
    {
        var recipes = new List<BuildRecipe>(publishes.Count);
        foreach (var publish in publishes)
        {
            var args = new Dictionary<string, string>(options.Args, StringComparer.Ordinal);
            foreach (var (name, value) in new[] { (PublishDirArg, publish.PublishDir), (RuntimeIdentifierArg, publish.RuntimeIdentifier) })
            {
                if (options.QuietArgs?.Contains(name) != false)
                {
                    args[name] = value;
                }
            }

            var composed = Compose(recipe, publish.GeneratedRecipe, options with { Args = args }, commitTime);
            if (composed.PlatformRecipes.Count > 0 || TargetPlatform.Normalize(composed.Platform) != TargetPlatform.Normalize(publish.Platform))
            {
                var said = composed.PlatformRecipes.Count > 0
                    ? $"'platforms: [{string.Join(", ", composed.PlatformRecipes.Select(r => r.Platform))}]'"
                    : $"platform {composed.Platform}";
                throw new LayerBuildException(DiagnosticCodes.RuntimeIdentifiersWithPlatformRecipe, SourcePosition.StartOf(recipe ?? projectFile),
                    $"the recipe makes {said}, but runtime identifier {publish.RuntimeIdentifier} is {publish.Platform}; with LayerBuildRuntimeIdentifiers each publish gives its platform: leave 'platform', 'platforms' and 'image' to the properties (a layerbuild.yml without them), or build from the recipe alone without LayerBuildRuntimeIdentifiers");
            }

            recipes.Add(composed with { OfPlatforms = true });
        }

        return recipes[0] with { PlatformRecipes = recipes };
    }
}

/// <summary>One runtime identifier's publish: its generated recipe, publish folder and platform.</summary>
internal sealed record PlatformPublish(string RuntimeIdentifier, Platform Platform, string GeneratedRecipe, string PublishDir);
