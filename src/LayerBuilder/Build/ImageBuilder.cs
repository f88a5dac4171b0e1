using LayerBuilder.Archive;
using LayerBuilder.Cache;
using LayerBuilder.Diagnostics;
using LayerBuilder.Engine;
using LayerBuilder.Faults;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Planning;
using LayerBuilder.Push;
using LayerBuilder.Recipe;
using LayerBuilder.Registry;

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
        var platforms = PlatformChoice.Recipes(request);
        if (platforms.Count == 1 && !ReferenceEquals(platforms[0], request.Recipe))
        {
            request = request with { Recipe = platforms[0] };
        }

        new ImageFaults(request.Recipe.Faults).CheckFormat(request.Format);
        var writesFile = WritesFile(request);
        if (writesFile)
        {
            OutputChecks.Check(request.Recipe, output);
        }

        // The engine is asked first: when it is not there, the build fails before any work, and nothing is written.
        using var engine = request.LoadInto is { } host ? new EngineConnection(host) : null;
        if (engine is not null)
        {
            await engine.PingAsync(cancellationToken).ConfigureAwait(false);
        }

        var work = Path.GetFullPath(request.WorkDirectory ?? Path.GetDirectoryName(output)!);
        var folders = new CreatedFolders();
        using var cache = request.Cache is null ? null : BuildCache.Open(request.Cache);
        try
        {
            try
            {
                folders.Create(work);
                if (writesFile)
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

            var result = platforms.Count > 1
                ? await PlatformIndexBuild.BuildAsync(request, platforms, output, work, cache, engine, cancellationToken).ConfigureAwait(false)
                : await BuildOnceAsync(request, output, work, cache, engine, cancellationToken).ConfigureAwait(false);
            return cache?.Warning is { } warning ? result with { Warnings = [warning, .. result.Warnings] } : result;
        }
        catch
        {
            folders.RemoveEmpty();
            throw;
        }
    }

    /// <summary>Plans every layer, fixes the archive's layout, makes the layers, loads and pushes the
    /// image, then writes the archive: a failed load or push leaves no archive behind.</summary>
    private static async Task<BuildResult> BuildOnceAsync(BuildRequest request, string output, string work, BuildCache? cache, EngineConnection? engine, CancellationToken cancellationToken)
    {
        var recipe = request.Recipe;
        var faults = new ImageFaults(recipe.Faults);
        var members = faults.Members(SaveFormatMembers.Instance);
        var writesFile = WritesFile(request);
        StagingFolder staging;
        try
        {
            staging = StagingFolder.Create(work);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(request, output, work, e);
        }

        ArchiveFile? archive = null;
        try
        {
            var warnings = new List<Diagnostic>(recipe.Warnings);
            using var writing = new LayerWriting(staging.Path, request.Progress);
            ILayerSource source = cache is null ? writing : new CachingLayerSource(writing, cache);
            // One session for the build: a push to the registry the base came from reuses its connection and token.
            using var registries = (recipe.Base is RegistryBase && !request.Offline) || request.Push ? new RegistrySession(Settings(request)) : null;
            var pull = BasePull.For(request, registries, cache, staging.Path, loads: engine is not null);
            var plan = await new ImagePlanner(recipe, staging.Path, source, warnings.Add, pull, cache is { IsOn: true } ? new LayerIndexStore(cache.Store) : null).PlanAsync(cancellationToken).ConfigureAwait(false);

            ArchiveSlot? slot = null;
            if (writesFile && WritesLayerInPlace(request, output) && !faults.Any && SingleLayerPlacement.DataOffset(recipe, plan, request.Format) is { } offset)
            {
                archive = ArchiveFile.Create(output);
                slot = new ArchiveSlot(archive.Handle, archive.TempPath, offset);
            }

            var uncompressed = await LayerProduction.ProduceAsync(plan, source, slot, cancellationToken).ConfigureAwait(false);
            var made = new MadeLayers(plan, source, uncompressed);

            // Compressing reads every layer but a registry blob kept as it is, so those are checked first;
            // otherwise they are checked only when their bytes go anywhere: an unchanged archive costs no
            // re-hashing of cached layers.
            var compress = request.Format == ArchiveFormat.Oci && request.Compression != LayerCompression.None;
            var layers = compress
                ? await CompressedLayers.MakeAsync(uncompressed, made.CheckedAsync, plan.BaseBlobs, request.Compression, staging.Path, cancellationToken).ConfigureAwait(false)
                : uncompressed;

            var image = faults.Apply(CreateModel(recipe, plan, layers));

            // Before the first byte of the archive: a failed check leaves nothing, also on a stream.
            ImageCheckRunner.Run(recipe.Checks, plan.Merged, image.Config.Config, image.ImageId, request.ExpectedImageId);
            var identity = ArchiveIdentity(image, request.Format, output, faults);
            var unchanged = writesFile && cache is not null && cache.IsUnchanged(output, identity);
            // A push reads layers only when the registry lacks them (PushedLayers), so it checks none here. A
            // plain archive file checks them while it is copied, and is renamed into place only after (D82).
            var checksWhileCopying = !compress && engine is null && request.WritesArchive && !unchanged && request.OutputStream is null
                && archive is null && !faults.Any && !ArchiveWriter.IsGzipName(output);
            if (!compress && !checksWhileCopying && (engine is not null || (request.WritesArchive && !unchanged)))
            {
                layers = await made.CheckedAsync(cancellationToken).ConfigureAwait(false);
                image = faults.Apply(CreateModel(recipe, plan, layers));
            }

            IReadOnlyList<string> loaded = [];
            if (engine is not null)
            {
                // Faults shape the archive (file or stream) only: the engine and the registry get the sound image.
                loaded = await EngineLoad.LoadAsync(engine, faults.Any ? CreateModel(recipe, plan, layers) : image, request.Format, cancellationToken).ConfigureAwait(false);
            }

            PushOutcome? pushed = null;
            if (request.Push)
            {
                var upload = UploadWhileCompressing(request, registries!, recipe.Image.Value, recipe.Image.Position);
                var pushLayers = compress && request.Compression == request.PushCompression
                    ? layers
                    : await PushedLayers.MakeAsync(uncompressed, made.CheckedAsync, request.PushCompression, staging.Path,
                        cache is { IsOn: true } ? new CompressedDigests(request.Cache!.Root) : null, pull.Store, upload, cancellationToken).ConfigureAwait(false);
                pushed = await PushAsync(request, registries!, cache is { IsOn: true }, CreateModel(recipe, plan, pushLayers), upload.Sent, cancellationToken).ConfigureAwait(false);
            }

            if (!request.WritesArchive)
            {
                // nothing more to write
            }
            else if (request.OutputStream is { } stream)
            {
                await ArchiveWriter.WriteAsync(image, request.Format, members, stream, cancellationToken).ConfigureAwait(false);
            }
            else if (!unchanged)
            {
                HostFileInfo? written = null;
                if (checksWhileCopying)
                {
                    var checking = made.CheckedAsync(cancellationToken);
                    written = await ArchiveWriter.WriteFileWhileCheckedAsync(image, request.Format, members, output, AsCopiedAsync(layers, checking), cancellationToken).ConfigureAwait(false);
                    if (written is null)
                    {
                        // A cached layer had rotted and was made again: the archive is written again with it.
                        layers = await checking.ConfigureAwait(false);
                        image = faults.Apply(CreateModel(recipe, plan, layers));
                    }
                }

                written ??= archive is not null
                    ? await ArchiveWriter.WriteFileAsync(image, request.Format, members, archive, cancellationToken).ConfigureAwait(false)
                    : await ArchiveWriter.WriteFileAsync(image, request.Format, members, output, cancellationToken).ConfigureAwait(false);
                request.AfterOutputRenamed?.Invoke(output);
                cache?.Remember(output, identity, written);
            }

            return new BuildResult
            {
                ImageId = image.ImageId,
                ManifestDigest = image.ManifestDescriptor.Digest,
                Tags = image.FullNames.ToList(),
                RepoTags = image.RepoTags.ToList(),
                Layers = uncompressed.Select((l, i) => new LayerSummary(l.DiffId, l.KnownSize, plan.CreatedBy[i]))
                    .Concat(image.Layers.Skip(uncompressed.Count).Select((l, i) => new LayerSummary(l.DiffId, l.Size, image.Config.History[plan.History.Count + i].CreatedBy ?? "")))
                    .ToList(),
                OutputPath = request.WritesArchive ? output : "",
                Warnings = warnings,
                Unchanged = unchanged,
                Loaded = loaded,
                PushedManifestDigest = pushed?.ManifestDigest,
                Pushed = pushed?.References ?? [],
            };
        }
        finally
        {
            archive?.Dispose();
            staging.Dispose();
        }
    }

    /// <summary>Whether the checked layers are the very files that were copied: false when a check found a
    /// cached layer rotted and made it again (<see cref="CachingLayerSource"/>).</summary>
    private static async Task<bool> AsCopiedAsync(IReadOnlyList<LayerBlob> copied, Task<IReadOnlyList<LayerBlob>> checking)
    {
        var checkedLayers = await checking.ConfigureAwait(false);
        return copied.Zip(checkedLayers).All(pair => pair.First is not CachedLayer cached || ReferenceEquals(pair.Second, cached.Stored));
    }

    /// <summary>Pushes <paramref name="image"/> to the registry its name says, every tag; the layer cache
    /// (when there is one) remembers where each blob went, for mounts by later pushes.</summary>
    private static async Task<PushOutcome> PushAsync(BuildRequest request, RegistrySession registries, bool cacheIsOn, ImageModel image, Func<Digest, bool> sent, CancellationToken cancellationToken)
    {
        var locations = cacheIsOn ? new BlobLocations(request.Cache!.Root) : null;
        return await ImagePush.PushAsync(registries, image, locations, new PushSettings(), request.TransferProgress, request.Recipe.Image.Position, sent, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads to the repository <paramref name="reference"/> names of the layers a push compresses
    /// while they are compressed (docs/decisions.md D74).</summary>
    internal static UploadWhileCompressing UploadWhileCompressing(BuildRequest request, RegistrySession registries, ImageReference reference, SourcePosition at) =>
        new(new BlobPusher(registries.Client(RegistryRepository.For(reference), RegistryAccess.PullPush, at), new PushSettings(), request.TransferProgress));

    /// <summary>Whether the archive goes to a file (not a stream, and not nowhere).</summary>
    private static bool WritesFile(BuildRequest request) => request.WritesArchive && request.OutputStream is null;

    /// <summary>How registries are reached: the request's settings, with its insecure registries.</summary>
    internal static RegistrySettings Settings(BuildRequest request) =>
        (request.RegistrySettings ?? new RegistrySettings()) with { InsecureRegistries = [.. request.InsecureRegistries, .. request.RegistrySettings?.InsecureRegistries ?? []] };

    /// <summary>An uncompressed archive file (not a stream, not gzipped, layers not compressed) can take
    /// its layer in place; the layout decides whether the image qualifies.</summary>
    private static bool WritesLayerInPlace(BuildRequest request, string output) =>
        request.OutputStream is null && !ArchiveWriter.IsGzipName(output) &&
        (request.Format == ArchiveFormat.Docker || request.Compression == LayerCompression.None);

    /// <summary>The image a plan and its made layers are: names, config (history, platform, the base's
    /// runtime config with the recipe's over it) and layers.</summary>
    internal static ImageModel CreateModel(BuildRecipe recipe, ImagePlan plan, IReadOnlyList<ILayer> layers)
    {
        var config = new ImageConfig(plan.Platform, recipe.ImageTime, plan.Config, layers.Select(l => l.DiffId).ToList(), plan.History);
        return new ImageModel(recipe.Image.Value, recipe.Tags, config, layers, recipe.Config.Annotations);
    }

    /// <summary>LB3001 for a folder the build needs (the output's, the staging folder): it names the
    /// output, or the work folder when the archive goes to a stream.</summary>
    private static LayerBuildException NotWritable(BuildRequest request, string output, string work, Exception e) =>
        ArchiveFile.NotWritable(WritesFile(request) ? output : work, e);

    /// <summary>Everything that decides the archive's bytes: the layers are named by the config and manifest digests.</summary>
    /// <remarks>Faults that only change members leave both digests as they are, so they are part of the key
    /// too; with none the key is what it always was.</remarks>
    private static Digest ArchiveIdentity(ImageModel image, ArchiveFormat format, string output, ImageFaults faults) =>
        Digest.Of(string.Join('\n', "archive-v2", format, Path.GetExtension(output), image.ImageId, image.ManifestDescriptor.Digest,
            image.Reference.Full, string.Join(',', image.Tags)) + (faults.Any ? "\nfaults " + faults.Identity : ""));
}

