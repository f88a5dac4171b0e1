using LayerBuilder.Archive;
using LayerBuilder.Base;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Planning;
using LayerBuilder.Recipe;

namespace LayerBuilder.Build;

/// <summary>
/// Builds an image archive from a recipe: the base becomes the first layer(s), each step one more, then
/// the config, manifests and the archive. This is the one call every front end makes.
/// </summary>
public static class ImageBuilder
{
    public static async Task<BuildResult> BuildAsync(BuildRequest request, CancellationToken cancellationToken = default)
    {
        var recipe = request.Recipe;
        var output = Path.GetFullPath(request.OutputPath);
        CheckOutputOutsideSources(recipe, output);

        var work = request.WorkDirectory ?? Path.GetDirectoryName(output)!;
        Directory.CreateDirectory(work);
        var staging = Directory.CreateDirectory(Path.Combine(work, $".layerbuild-{Guid.NewGuid():N}"));
        try
        {
            var warnings = new List<Diagnostic>();
            var built = await BuildLayersAsync(recipe, staging.FullName, warnings.Add, cancellationToken).ConfigureAwait(false);
            var image = CreateModel(recipe, built);
            var layers = built.Layers;
            await ArchiveWriter.WriteFileAsync(image, request.Format, output, cancellationToken).ConfigureAwait(false);
            return new BuildResult
            {
                ImageId = image.ImageId,
                ManifestDigest = image.ManifestDescriptor.Digest,
                Tags = image.FullNames.ToList(),
                RepoTags = image.RepoTags.ToList(),
                Layers = layers.Select(l => new LayerSummary(l.DiffId, l.Size, l.CreatedBy)).ToList(),
                OutputPath = output,
                Warnings = warnings,
            };
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }

    /// <summary>Writes every layer into <paramref name="folder"/>; returns them with their history.</summary>
    public static async Task<BuiltLayers> BuildLayersAsync(
        BuildRecipe recipe, string folder, Action<Diagnostic> warn, CancellationToken cancellationToken)
    {
        var index = new LowerLayerIndex();
        var layers = new List<LayerBlob>();
        var history = new List<HistoryEntry>();
        var created = recipe.Created.ToUnixTimeSeconds();
        var platform = recipe.Platform;
        var config = new ContainerConfig();

        if (recipe.Base is ImageBase imageBase)
        {
            var baseImage = await new BaseImageReader(imageBase, folder, recipe.PlatformSet ? recipe.Platform : null).ReadAsync(cancellationToken).ConfigureAwait(false);
            foreach (var layer in baseImage.Layers)
            {
                LayerIndexer.Apply(index, layer, imageBase.Position);
            }

            layers.AddRange(baseImage.Layers);
            history.AddRange(baseImage.History);
            platform = recipe.PlatformSet ? recipe.Platform : baseImage.Platform;
            config = baseImage.Config;
        }

        if (recipe.Base is RootfsBase rootfs)
        {
            var entries = Directory.Exists(rootfs.HostPath)
                ? new RootfsFolderSource(rootfs.HostPath, rootfs.Position, created).Entries()
                : File.Exists(rootfs.HostPath)
                    ? new RootfsTarSource(rootfs.HostPath, rootfs.Position, created, warn).Entries()
                    : throw new LayerBuildException(DiagnosticCodes.SourceNotFound, rootfs.Position,
                        $"base rootfs '{rootfs.HostPath}' does not exist; give a tar, a compressed tar or a folder");
            var createdBy = $"layerbuild base rootfs {Path.GetFileName(rootfs.HostPath.TrimEnd(Path.DirectorySeparatorChar))}";
            var blob = await LayerWriter.WriteAsync(Path.Combine(folder, "layer-0.tar"), entries, e => Apply(index, e), cancellationToken).ConfigureAwait(false);
            layers.Add(blob with { CreatedBy = createdBy });
            history.Add(new HistoryEntry(recipe.Created, createdBy, "layerbuild"));
        }

        foreach (var step in recipe.Steps)
        {
            var plan = new StepPlanner(index, recipe.Defaults, recipe.Created, folder).Plan(step);
            var createdBy = $"layerbuild step: {step.Description}";
            var path = Path.Combine(folder, $"layer-{layers.Count}.tar");
            var blob = await LayerWriter.WriteAsync(path, plan, e => Apply(index, e), cancellationToken).ConfigureAwait(false);
            layers.Add(blob with { CreatedBy = createdBy });
            history.Add(new HistoryEntry(recipe.Created, createdBy, "layerbuild"));
        }

        if (recipe.Config.UserOwner is { Numeric: null } user)
        {
            // Names stay names in the config (the runtime resolves them), but they must exist in the image.
            var diagnostics = new DiagnosticBag();
            new OwnerResolver(index, diagnostics).Resolve(user);
            diagnostics.ThrowIfErrors();
        }

        return new BuiltLayers(layers, history, platform, config.With(recipe.Config));
    }

    public static ImageModel CreateModel(BuildRecipe recipe, BuiltLayers built)
    {
        var config = new ImageConfig(
            built.Platform,
            recipe.Created,
            built.Config,
            built.Layers.Select(l => l.DiffId).ToList(),
            built.History);
        return new ImageModel(recipe.Image.Value, recipe.Tags, config, built.Layers, recipe.Config.Annotations);
    }

    /// <summary>Records a written entry in the merged view; a hard link is the file it names.</summary>
    private static void Apply(LowerLayerIndex index, LayerEntry entry)
    {
        if (entry.Kind == EntryKind.Hardlink && index.Get(ImagePath.Parse(entry.LinkTarget!)) is { Kind: EntryKind.File } target)
        {
            index.Apply(target with { Path = entry.Path });
            return;
        }

        index.Apply(entry);
    }

    /// <summary>An archive inside a folder a step copies would end up inside the next build's image.</summary>
    private static void CheckOutputOutsideSources(BuildRecipe recipe, string output)
    {
        foreach (var copy in recipe.Steps.SelectMany(s => s.Copy))
        {
            var source = Path.GetFullPath(copy.Source.Value).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            if (Directory.Exists(copy.Source.Value) && output.StartsWith(source, StringComparison.Ordinal))
            {
                throw new LayerBuildException(DiagnosticCodes.OutputInsideSource, copy.Source.Position,
                    $"the output '{output}' is inside '{copy.Source.Value}', which this recipe copies; write the archive elsewhere with -o");
            }
        }
    }
}
