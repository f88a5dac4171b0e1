using LayerBuilder.MSBuild.Publish;
using LayerBuilder.Recipe;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace LayerBuilder.MSBuild;

/// <summary>The parameters every LayerBuilder task takes from the <c>LayerBuild</c> target: the recipe,
/// the archive and what overrides the recipe. Declared once so the tasks cannot drift apart.</summary>
public abstract class RecipeTask : Task
{
    /// <summary>The recipe file, absolute; empty when the project has none (the properties make the image).</summary>
    public string? Recipe { get; set; }

    /// <summary>The recipe the properties make (<see cref="WritePublishRecipe"/>), absolute.</summary>
    [Required]
    public string GeneratedRecipe { get; set; } = "";

    /// <summary>The recipe the diagnostics of this build are about: the user's, else the generated one.</summary>
    protected string RecipeShown => string.IsNullOrEmpty(Recipe) ? GeneratedRecipe : Recipe;

    /// <summary>The archive to write, absolute.</summary>
    [Required]
    public string Output { get; set; } = "";

    /// <summary><c>docker</c> (default) or <c>oci</c>.</summary>
    public string? Format { get; set; }

    /// <summary><c>none</c> (default), <c>gzip</c> or <c>zstd</c>: compressed layer blobs, with <c>oci</c> only.</summary>
    public string? Compression { get; set; }

    /// <summary>Recipe args: item spec is the name, metadata <c>Value</c> the value; later items win.</summary>
    public ITaskItem[]? Args { get; set; }

    /// <summary>When non-empty, replaces the recipe's tags.</summary>
    public string[]? Tags { get; set; }

    public string? Created { get; set; }

    public string? SourceDateEpoch { get; set; }

    /// <summary>Whether the project is an app (<c>OutputType</c> <c>Exe</c>): only an app's image is checked for what it needs.</summary>
    public bool IsApp { get; set; }

    /// <summary><c>LayerBuildCheckImage</c>: false turns the guard rails of the finished image off.</summary>
    public bool CheckImage { get; set; } = true;

    public bool SelfContained { get; set; }

    public bool PublishAot { get; set; }

    /// <summary><c>$(TargetFrameworkVersion)</c>, such as <c>v10.0</c>.</summary>
    public string? TargetFrameworkVersion { get; set; }

    /// <summary>Whether the app references the <c>Microsoft.AspNetCore.App</c> framework.</summary>
    public bool AspNetCore { get; set; }

    public bool InvariantGlobalization { get; set; }

    /// <summary>The commit time of the project's git checkout (seconds since 1970); empty outside one.</summary>
    public string? CommitTime { get; set; }

    /// <summary>The recipe this build makes (<see cref="RecipeComposer"/>), with an app's guard rails; with
    /// <paramref name="publishes"/>, one platform per runtime identifier's publish, each with its own.</summary>
    private protected BuildRecipe ComposeRecipe(RecipeOptions options, string? projectFile, IReadOnlyList<PlatformPublish>? publishes = null)
    {
        var recipe = publishes is { Count: > 0 }
            ? RecipeComposer.ComposePlatforms(Recipe, publishes, options, CommitTime, projectFile ?? RecipeShown)
            : RecipeComposer.Compose(Recipe, GeneratedRecipe, options, CommitTime);
        if (!IsApp || !CheckImage)
        {
            return recipe;
        }

        var rails = new GuardRails
        {
            SelfContained = SelfContained || PublishAot,
            DotnetMajor = (TargetFrameworkVersion ?? "").TrimStart('v', 'V').Split('.')[0],
            AspNetCore = AspNetCore,
            InvariantGlobalization = InvariantGlobalization,
            ProjectFile = projectFile ?? RecipeShown,
        };
        if (recipe.PlatformRecipes.Count > 0)
        {
            // Each platform's image is checked on its own: its base, its publish output.
            var checkedRecipes = recipe.PlatformRecipes.Select(r => r with { ImageRequirements = rails.For(r) }).ToList();
            return checkedRecipes[0] with { PlatformRecipes = checkedRecipes };
        }

        return recipe with { ImageRequirements = rails.For(recipe) };
    }
}
