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
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Recipe, nameof(request));
        ArgumentException.ThrowIfNullOrEmpty(request.OutputPath, nameof(request));
        var output = Path.GetFullPath(request.OutputPath);
        if (request.OutputStream is null)
        {
            OutputChecks.Check(request.Recipe, output);
        }

        var work = Path.GetFullPath(request.WorkDirectory ?? Path.GetDirectoryName(output)!);
        var folders = new CreatedFolders();
        using var cache = request.Cache is null ? null : BuildCache.Open(request.Cache);
        try
        {
            try
            {
                folders.Create(work);
                if (request.OutputStream is null)
                {
                    folders.Create(Path.GetDirectoryName(output)!);
                    ArchiveFile.RemoveAbandoned(output);
                }

                StagingFolder.RemoveAbandoned(work);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw NotWritable(request, output, work, e);
            }

            var result = await BuildEvictingDamagedAsync(request, output, work, cache, cancellationToken).ConfigureAwait(false);
            return cache?.Warning is { } warning ? result with { Warnings = [warning, .. result.Warnings] } : result;
        }
        catch
        {
            folders.RemoveEmpty();
            throw;
        }
    }

    /// <summary>Builds; a cached layer found rotted on disk is evicted and the build runs again, its step
    /// now rebuilt. Each run evicts at least one layer, or (when eviction fails) turns the cache off, so it
    /// ends within one run per layer.</summary>
    private static async Task<BuildResult> BuildEvictingDamagedAsync(BuildRequest request, string output, string work, BuildCache? cache, CancellationToken cancellationToken)
    {
        while (true)
        {
            var cacheWasOn = cache is { IsOn: true };
            try
            {
                return await BuildOnceAsync(request, output, work, cache, cancellationToken).ConfigureAwait(false);
            }
            catch (DamagedLayersException e) when (cache is not null && (cache.EvictAll(e.Paths) || (cacheWasOn && !cache.IsOn)))
            {
                // evicted, or the cache is off now: build again
            }
            catch (CorruptLayerException e) when (cache is not null && (cache.Evict(e.LayerPath) || (cacheWasOn && !cache.IsOn)))
            {
                // evicted, or the cache is off now: build again
            }
        }
    }

    private static async Task<BuildResult> BuildOnceAsync(BuildRequest request, string output, string work, BuildCache? cache, CancellationToken cancellationToken)
    {
        var recipe = request.Recipe;
        StagingFolder staging;
        try
        {
            staging = StagingFolder.Create(work);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(request, output, work, e);
        }

        ArchiveFile? prepared = null;
        try
        {
            var warnings = new List<Diagnostic>();
            BuiltLayers built;
            var place = WritesLayerInPlace(request, output) ? (Func<BuiltLayers, FileSlot?>)(provisional => Prepare(provisional, out prepared)) : null;
            using (var stack = new LayerStack(recipe, staging.Path, cache, warnings.Add, request.Progress, place))
            {
                built = await stack.BuildAsync(cancellationToken).ConfigureAwait(false);
            }

            if (request.Format == ArchiveFormat.Oci && request.Compression != LayerCompression.None)
            {
                built = built with { Layers = await CompressAsync(built.Layers, request.Compression, staging.Path, cancellationToken).ConfigureAwait(false) };
            }

            var image = CreateModel(recipe, built);
            var identity = ArchiveIdentity(image, request.Format, output);
            var unchanged = request.OutputStream is null && cache is not null && cache.IsUnchanged(output, identity);
            if (request.OutputStream is { } stream)
            {
                // A stream cannot take back what it was sent: find rotted cached layers before the first byte.
                if (await CachedLayerCheck.DamagedAsync(built.Layers, cancellationToken).ConfigureAwait(false) is { Count: > 0 } damaged)
                {
                    throw new DamagedLayersException(damaged);
                }

                try
                {
                    await ArchiveWriter.WriteAsync(image, request.Format, stream, cancellationToken).ConfigureAwait(false);
                }
                catch (CorruptLayerException e)
                {
                    // Rotted between the check and the copy: part of the archive is sent, so no second try.
                    throw new IOException(e.Message, e);
                }
            }
            else if (!unchanged)
            {
                var written = prepared is not null
                    ? await ArchiveWriter.WriteFileAsync(image, request.Format, prepared, cancellationToken).ConfigureAwait(false)
                    : await ArchiveWriter.WriteFileAsync(image, request.Format, output, cancellationToken).ConfigureAwait(false);
                request.AfterOutputRenamed?.Invoke(output);
                cache?.Remember(output, identity, written);
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
            staging.Dispose();
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

    /// <summary>LB3001 for a folder the build needs (the output's, the staging folder): it names the
    /// output, or the work folder when the archive goes to a stream.</summary>
    private static LayerBuildException NotWritable(BuildRequest request, string output, string work, Exception e) =>
        ArchiveFile.NotWritable(request.OutputStream is null ? output : work, e);

    /// <summary>Everything that decides the archive's bytes: the layers are named by the config and manifest digests.</summary>
    private static Digest ArchiveIdentity(ImageModel image, ArchiveFormat format, string output) =>
        Digest.Of(string.Join('\n', "archive-v2", format, Path.GetExtension(output), image.ImageId, image.ManifestDescriptor.Digest,
            image.Reference.Full, string.Join(',', image.Tags)));
}

