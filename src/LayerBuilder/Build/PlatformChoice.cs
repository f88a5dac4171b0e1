using LayerBuilder.Archive;
using LayerBuilder.Diagnostics;
using LayerBuilder.Recipe;

namespace LayerBuilder.Build;

/// <summary>
/// Which of a recipe's platforms a build makes (docs/recipe.md, "Several platforms"): all of them, or the
/// one <see cref="BuildRequest.Platform"/> picks; and whether the output can hold them. The <c>docker</c>
/// format holds one image (docker 20.10 cannot load several platforms from one archive): several are
/// refused there, before any work (docs/decisions.md D57).
/// </summary>
internal static class PlatformChoice
{
    private static readonly SourcePosition PlatformOption = SourcePosition.StartOf("--platform");

    public static IReadOnlyList<BuildRecipe> Recipes(BuildRequest request)
    {
        var recipe = request.Recipe;
        var all = recipe.PlatformRecipes.Count > 0 ? recipe.PlatformRecipes : [recipe];
        if (request.Platform is { } wanted)
        {
            var normal = TargetPlatform.Normalize(wanted);
            var chosen = all.FirstOrDefault(r => TargetPlatform.Normalize(r.Platform) == normal)
                ?? throw new LayerBuildException(DiagnosticCodes.PlatformNotInRecipe, PlatformOption,
                    $"--platform {wanted} is not a platform of the recipe; it builds {string.Join(", ", all.Select(r => r.Platform))}");
            return [chosen];
        }

        if (all.Count > 1)
        {
            if (request.WritesArchive && request.Format == ArchiveFormat.Docker)
            {
                throw new LayerBuildException(DiagnosticCodes.SeveralPlatformsInDockerFormat, recipe.Image.Position,
                    $"the docker format holds one platform, and the recipe has {all.Count} ({string.Join(", ", all.Select(r => r.Platform))}); write --format oci for an image index, or pick one with --platform");
            }

            if (recipe.Faults.Count > 0)
            {
                throw new LayerBuildException(DiagnosticCodes.FaultsWithPlatforms, recipe.Faults[0].Position,
                    "'faults' write defects into one image; a recipe with 'platforms' makes several: keep 'faults' for one platform ('platform')");
            }
        }

        return all;
    }
}
