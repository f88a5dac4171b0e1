using LayerBuilder.Cache;
using LayerBuilder.Image;
using LayerBuilder.MSBuild.Publish;
using LayerBuilder.Registry;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace LayerBuilder.MSBuild;

/// <summary>
/// Starts pulling the zero-config route's base (<c>LayerBuildBaseImage</c>) into the layer cache while the
/// project compiles, and returns at once; the <c>LayerBuild</c> target waits for it before it builds
/// (<see cref="BasePrefetches"/>, docs/decisions.md D80). Only a reference the cache has never pulled is
/// fetched, so a build whose base is cached does what it did before. Never fails the build: a prefetch that
/// goes wrong is forgotten, and the build's own pull reports the problem.
/// </summary>
public sealed class PrefetchBaseImage : Task
{
    /// <summary>The base the generated recipe will name (<c>LayerBuildBaseImage</c>).</summary>
    public string? BaseImage { get; set; }

    /// <summary>The publish's runtime identifier: which image of an index the build will take.</summary>
    public string? RuntimeIdentifier { get; set; }

    /// <summary>The project's folder: a base that names a file or folder there is no reference.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = "";

    /// <summary>The project, which keys the prefetch for its <c>LayerBuild</c> target.</summary>
    [Required]
    public string ProjectFile { get; set; } = "";

    public override bool Execute()
    {
        var reference = BaseImage?.Trim() ?? "";
        if (!IsReference(reference))
        {
            return true;
        }

        Platform? platform = null;
        if (WritePublishRecipe.PlatformOf(RuntimeIdentifier) is { } text && Platform.TryParse(text, out var parsed))
        {
            platform = parsed;
        }

        var cache = LayerCache.Default();
        if (!BasePrefetch.IsWorthwhile(reference, cache))
        {
            return true;
        }

        if (BasePrefetches.Start(BasePrefetches.KeyOf(ProjectFile, cache.Root),
            token => BasePrefetch.PullAsync(reference, platform, cache, new RegistrySettings(), token)))
        {
            Log.LogMessage(MessageImportance.Normal, "LayerBuild: pulling the base {0} while the project builds", reference);
        }

        return true;
    }

    /// <summary>A registry reference, as the generated recipe will read it: not a file or folder (an image
    /// archive or OCI layout, <see cref="PublishBase"/>), and no recipe arg to expand.</summary>
    private bool IsReference(string value) =>
        value.Length > 0 && !value.Contains("${", StringComparison.Ordinal) && PublishBase.LocalPath(ProjectDirectory, value) is null;
}
