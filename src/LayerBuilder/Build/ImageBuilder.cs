using LayerBuilder.Archive;
using LayerBuilder.Cache;
using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Layers;
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
        try
        {
            return await BuildOnceAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (CorruptLayerException e) when (request.Cache is not null)
        {
            // A cached layer rotted on disk: drop it and build again; the step is simply rebuilt.
            File.Delete(e.LayerPath);
            return await BuildOnceAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<BuildResult> BuildOnceAsync(BuildRequest request, CancellationToken cancellationToken)
    {
        var recipe = request.Recipe;
        var output = Path.GetFullPath(request.OutputPath);
        CheckOutputOutsideSources(recipe, output);

        var work = request.WorkDirectory ?? Path.GetDirectoryName(output)!;
        Directory.CreateDirectory(work);
        var staging = Directory.CreateDirectory(Path.Combine(work, $".layerbuild-{Guid.NewGuid():N}"));
        ArchiveFile? prepared = null;
        try
        {
            var warnings = new List<Diagnostic>();
            BuiltLayers built;
            var place = WritesLayerInPlace(request, output) ? (Func<BuiltLayers, FileSlot?>)(provisional => Prepare(provisional, out prepared)) : null;
            using (var stack = new LayerStack(recipe, staging.FullName, request.Cache, warnings.Add, request.Progress, place))
            {
                built = await stack.BuildAsync(cancellationToken).ConfigureAwait(false);
            }

            if (request.Format == ArchiveFormat.Oci && request.Compression != LayerCompression.None)
            {
                built = built with { Layers = await CompressAsync(built.Layers, request.Compression, staging.FullName, cancellationToken).ConfigureAwait(false) };
            }

            var image = CreateModel(recipe, built);
            var identity = ArchiveIdentity(image, request.Format, output);
            var unchanged = request.OutputStream is null && request.Cache is not null && OutputRecord.IsUnchanged(request.Cache, output, identity);
            if (request.OutputStream is { } stream)
            {
                await ArchiveWriter.WriteAsync(image, request.Format, stream, cancellationToken).ConfigureAwait(false);
            }
            else if (!unchanged)
            {
                if (prepared is not null)
                {
                    await ArchiveWriter.WriteFileAsync(image, request.Format, prepared, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await ArchiveWriter.WriteFileAsync(image, request.Format, output, cancellationToken).ConfigureAwait(false);
                }

                if (request.Cache is not null)
                {
                    OutputRecord.Remember(request.Cache, output, identity);
                }
            }

            return new BuildResult
            {
                ImageId = image.ImageId,
                ManifestDigest = image.ManifestDescriptor.Digest,
                Tags = image.FullNames.ToList(),
                RepoTags = image.RepoTags.ToList(),
                Layers = built.Layers.Select(l => new LayerSummary(l.DiffId, l.Size, l.CreatedBy)).ToList(),
                OutputPath = output,
                Warnings = warnings,
                Unchanged = unchanged,
            };
        }
        finally
        {
            prepared?.Dispose();
            staging.Delete(recursive: true);
        }

        FileSlot? Prepare(BuiltLayers provisional, out ArchiveFile? file)
        {
            file = null;
            if (ArchiveLayout.SingleLayerDataOffset(CreateModel(recipe, provisional), request.Format) is not { } offset)
            {
                return null;
            }

            file = ArchiveFile.Create(output);
            return new FileSlot(file.Handle, file.TempPath, offset);
        }
    }

    /// <summary>An uncompressed archive file (not a stream, not gzipped, layers not compressed) can take
    /// its layer in place; the layout decides whether the image qualifies.</summary>
    private static bool WritesLayerInPlace(BuildRequest request, string output) =>
        request.OutputStream is null && !ArchiveWriter.IsGzipName(output) &&
        (request.Format == ArchiveFormat.Docker || request.Compression == LayerCompression.None);

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

    /// <summary>Compresses the layers concurrently (two at a time: two cores).</summary>
    private static async Task<IReadOnlyList<LayerBlob>> CompressAsync(IReadOnlyList<LayerBlob> layers, LayerCompression compression, string folder, CancellationToken cancellationToken)
    {
        var result = new LayerBlob[layers.Count];
        await Parallel.ForAsync(0, layers.Count, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken }, async (i, token) =>
            result[i] = layers[i] with { Compressed = await LayerCompressor.CompressAsync(layers[i], compression, folder, token).ConfigureAwait(false) })
            .ConfigureAwait(false);
        return result;
    }

    /// <summary>Everything that decides the archive's bytes: the layers are named by the config and manifest digests.</summary>
    private static Digest ArchiveIdentity(ImageModel image, ArchiveFormat format, string output) =>
        Digest.Of(string.Join('\n', "archive-v2", format, Path.GetExtension(output), image.ImageId, image.ManifestDescriptor.Digest,
            image.Reference.Full, string.Join(',', image.Tags)));

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
