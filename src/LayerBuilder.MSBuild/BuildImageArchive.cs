using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Cache;
using LayerBuilder.Diagnostics;
using LayerBuilder.Engine;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using Microsoft.Build.Framework;

namespace LayerBuilder.MSBuild;

/// <summary>
/// The <c>LayerBuild</c> target's task: maps its parameters to one <see cref="ImageBuilder.BuildAsync"/>
/// call and the outcome to MSBuild messages and the <c>LayerBuildImage</c> item. No build logic lives here.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "MSBuild never disposes tasks and may call Cancel after Execute returns; a token source that hands out no wait handle holds nothing to free.")]
public sealed class BuildImageArchive : RecipeTask, ICancelableTask
{
    private readonly CancellationTokenSource cancellation = new();

    /// <summary>Where the image's identity is kept for up-to-date builds (see <see cref="ImageState"/>).</summary>
    [Required]
    public string StateFile { get; set; } = "";

    /// <summary>The project, named in errors about values that came from properties rather than the recipe.</summary>
    public string? ProjectFile { get; set; }

    /// <summary>Starts the <c>Name -> archive</c> line, the form the terminal logger shows as a project's output.</summary>
    public string? ProjectName { get; set; }

    /// <summary>
    /// The archive with metadata <c>ImageId</c>, <c>ManifestDigest</c>, <c>Tags</c>, <c>Format</c>. Also an
    /// input: when the target is skipped as up to date, MSBuild fills the output from the value passed in
    /// here (the previous build's item), so later targets see the same item either way.
    /// </summary>
    [Output]
    public ITaskItem? Image { get; set; }

    /// <summary>Also load the image into the docker engine of <c>DOCKER_HOST</c> (<c>LayerBuildLoad</c>).</summary>
    public bool Load { get; set; }

    /// <summary>Also push every tag to the registry the image's name says (<c>LayerBuildPush</c>); the item
    /// then carries the pushed manifest digest as <c>PushedManifestDigest</c>.</summary>
    public bool Push { get; set; }

    /// <summary>With <c>LayerBuildRuntimeIdentifiers</c>: one item per runtime identifier's publish, the
    /// generated recipe it wrote, with metadata <c>RuntimeIdentifier</c> and <c>PublishDir</c>; the build
    /// then makes one image per item in one index (docs/msbuild.md, "Several platforms").</summary>
    public ITaskItem[]? PlatformRecipes { get; set; }

    /// <summary><c>LayerBuildNoCache</c>: neither read nor fill the layer cache, as <c>--no-cache</c>.</summary>
    public bool NoCache { get; set; }

    public void Cancel() => cancellation.Cancel();

    public override bool Execute()
    {
        Image = null;
        var format = ArchiveFormat.Docker;
        if (!string.IsNullOrWhiteSpace(Format) && !OutputNames.TryParseFormat(Format, out format))
        {
            Log.LogError(null, null, null, ProjectFile, 0, 0, 0, 0,
                $"LayerBuildFormat '{Format}' is not a known archive format; use docker (classic docker save) or oci (OCI layout with manifest.json)");
            return false;
        }

        var compression = LayerCompression.None;
        var known = string.IsNullOrWhiteSpace(Compression) || OutputNames.TryParseCompression(Compression, out compression);
        if (!known || (compression != LayerCompression.None && format != ArchiveFormat.Oci))
        {
            Log.LogError(null, null, null, ProjectFile, 0, 0, 0, 0, !known
                ? $"LayerBuildCompression '{Compression}' is not a known layer compression; use none, gzip or zstd"
                : "LayerBuildCompression applies to LayerBuildFormat oci; the docker format stores plain layer tars");
            return false;
        }

        var options = RecipeOptionsMapper.Map(Args, Tags, Created, SourceDateEpoch, Log, ProjectFile);
        if (options is null)
        {
            return false;
        }

        var publishes = Publishes();
        if (publishes is null)
        {
            return false;
        }

        var diagnostics = new DiagnosticLogger(Log, ProjectFile);
        try
        {
            var recipe = ComposeRecipe(options, ProjectFile, publishes);
            var cache = NoCache ? null : LayerCache.Default();
            var request = new BuildRequest(recipe, Output)
            {
                Format = format,
                Compression = compression,
                LoadInto = Load ? DockerHost.FromEnvironment() : null,
                Push = Push,

                // The CLI's cache ($XDG_CACHE_HOME/layerbuilder): a code-only change rewrites only the app's
                // layer and a base by reference is not pulled again (docs/decisions.md D66).
                Cache = cache,
            };
            WaitForPrefetch(cache);
            var result = ImageBuilder.BuildAsync(request, cancellation.Token).GetAwaiter().GetResult();
            foreach (var warning in result.Warnings)
            {
                diagnostics.Report(warning);
            }

            var state = ImageState.From(result, format);
            state.Write(StateFile);
            Image = state.ToItem();
            if (result.IndexDigest is { } index)
            {
                Log.LogMessage(MessageImportance.High, "LayerBuild: image index {0} of {1} ({2}) -> {3}",
                    index, string.Join(", ", result.Platforms.Select(p => p.Platform)), string.Join(", ", result.RepoTags), result.OutputPath);
            }
            else
            {
                Log.LogMessage(MessageImportance.High, "LayerBuild: image {0} ({1}) -> {2}",
                    result.ImageId, string.Join(", ", result.RepoTags), result.OutputPath);
            }
            if (!string.IsNullOrEmpty(ProjectName))
            {
                // The same "App -> path" line the SDK logs for the publish folder: the live terminal view
                // shows the last such path as the project's result, and that is now the image archive.
                Log.LogMessage(MessageImportance.High, "{0} -> {1}", ProjectName, result.OutputPath);
            }
            foreach (var line in result.Loaded)
            {
                Log.LogMessage(MessageImportance.High, "LayerBuild: {0}", line);
            }

            foreach (var reference in result.Pushed)
            {
                Log.LogMessage(MessageImportance.High, "LayerBuild: pushed {0}@{1}", reference, result.PushedManifestDigest);
            }

            foreach (var layer in result.Layers)
            {
                Log.LogMessage(MessageImportance.Low, "  layer {0} {1,14} bytes  {2}", layer.DiffId, layer.Size is { } size ? size.ToString("N0", CultureInfo.InvariantCulture) : "(as pulled)", layer.CreatedBy);
            }
        }
        catch (LayerBuildException e)
        {
            foreach (var diagnostic in e.Diagnostics)
            {
                diagnostics.Report(diagnostic);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Log.LogError(null, DiagnosticCodes.Cancelled.Id, null, RecipeShown, 0, 0, 0, 0,
                $"image build cancelled; nothing was written to {Output}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug, not a user error: say so in one line; the stack trace is for detailed logs.
            Log.LogError(null, DiagnosticCodes.Internal.Id, null, RecipeShown, 0, 0, 0, 0,
                $"internal error: {e.GetType().Name}: {e.Message} (please report it)");
            Log.LogMessage(MessageImportance.Low, e.ToString());
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>Waits for the base pull <see cref="PrefetchBaseImage"/> started while the project compiled,
    /// so the build finds the base in the cache rather than fetching it a second time (docs/decisions.md D80).</summary>
    private void WaitForPrefetch(LayerCache? cache)
    {
        if (cache is null || string.IsNullOrEmpty(ProjectFile))
        {
            return;
        }

        if (BasePrefetches.WaitFor(BasePrefetches.KeyOf(ProjectFile, cache.Root), cancellation.Token) is { } failure)
        {
            Log.LogMessage(MessageImportance.Low, "LayerBuild: the base pulled while the project built failed ({0}); the build pulls it itself", failure.Message);
        }
    }

    /// <summary>The runtime identifiers' publishes, in order; null after logging one that is no Linux one
    /// (the publish of each already refused it: this is the last line of defence).</summary>
    private List<PlatformPublish>? Publishes()
    {
        var publishes = new List<PlatformPublish>();
        foreach (var item in PlatformRecipes ?? [])
        {
            var rid = item.GetMetadata("RuntimeIdentifier");
            if (WritePublishRecipe.PlatformOf(rid) is not { } text || !Platform.TryParse(text, out var platform))
            {
                Log.LogError(null, DiagnosticCodes.RuntimeIdentifierNotLinux.Id, null, ProjectFile, 0, 0, 0, 0,
                    $"LayerBuildRuntimeIdentifiers has '{rid}', which is no Linux runtime identifier, but container images run Linux; use linux-x64, linux-arm64, linux-arm or a linux-musl one");
                return null;
            }

            if (publishes.FirstOrDefault(p => p.Platform == platform) is { } same)
            {
                // One index entry per platform, as 'platforms:' has (docs/recipe.md, "Several platforms").
                Log.LogError(null, DiagnosticCodes.InvalidPlatforms.Id, null, ProjectFile, 0, 0, 0, 0,
                    $"LayerBuildRuntimeIdentifiers has '{same.RuntimeIdentifier}' and '{rid}', both {platform}; an image index has one image per platform: keep one of them");
                return null;
            }

            publishes.Add(new PlatformPublish(rid, platform, item.GetMetadata("FullPath"), item.GetMetadata("PublishDir")));
        }

        return publishes;
    }
}
