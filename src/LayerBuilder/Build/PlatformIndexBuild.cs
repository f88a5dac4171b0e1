using LayerBuilder.Archive;
using LayerBuilder.Cache;
using LayerBuilder.Diagnostics;
using LayerBuilder.Engine;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Planning;
using LayerBuilder.Push;
using LayerBuilder.Recipe;
using LayerBuilder.Registry;

namespace LayerBuilder.Build;

/// <summary>
/// The build of a recipe with several platforms (docs/recipe.md, "Several platforms"; docs/decisions.md
/// D56–D59): each platform planned and made as a one-platform build would make it, in its own part of the
/// staging folder, then one image index over them. The <c>oci</c> layout holds the index and every
/// platform's blobs; a push sends each platform's blobs and manifest, then the index under every tag; a
/// load sends the engine the one image of its own platform.
/// </summary>
internal static class PlatformIndexBuild
{
    /// <summary>One platform's image as the build made it.</summary>
    private sealed record Made(BuildRecipe Recipe, ImagePlan Plan, MadeLayers Layers, IReadOnlyList<LayerBlob> Uncompressed, ImageModel Image, string Staging, PulledBlobStore PullStore);

    public static async Task<BuildResult> BuildAsync(BuildRequest request, IReadOnlyList<BuildRecipe> recipes, string output, string work, BuildCache? cache,
        EngineConnection? engine, CancellationToken cancellationToken)
    {
        // Asked before any work, as the ping is: an engine of none of the platforms gets nothing built.
        BuildRecipe? loaded = null;
        if (engine is not null)
        {
            var (os, architecture) = await engine.PlatformAsync(cancellationToken).ConfigureAwait(false);
            loaded = recipes.FirstOrDefault(r => r.Platform.Os == os && r.Platform.Architecture == architecture)
                ?? throw new LayerBuildException(DiagnosticCodes.EnginePlatformNotBuilt, recipes[0].Image.Position,
                    $"the docker engine at {engine.Host} runs {os}/{architecture}, which is none of the recipe's platforms ({string.Join(", ", recipes.Select(r => r.Platform))}); add it, or build without --load");
        }

        StagingFolder staging;
        try
        {
            staging = StagingFolder.Create(work);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ArchiveFile.NotWritable(request.OutputStream is null && request.WritesArchive ? output : work, e);
        }

        var writers = new List<LayerWriting>();
        try
        {
            var warnings = new List<Diagnostic>(recipes[0].Warnings);
            using var registries = (recipes.Any(r => r.Base is RegistryBase) && !request.Offline) || request.Push ? new RegistrySession(ImageBuilder.Settings(request)) : null;
            var compress = request.Format == ArchiveFormat.Oci && request.Compression != LayerCompression.None;
            var made = new List<Made>(recipes.Count);
            foreach (var recipe in recipes)
            {
                // Each platform in a folder of its own: layer files are named by their number in the image.
                var folder = Directory.CreateDirectory(Path.Combine(staging.Path, "platform-" + made.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
                var writing = new LayerWriting(folder, request.Progress);
                writers.Add(writing);
                ILayerSource source = cache is null ? writing : new CachingLayerSource(writing, cache);
                var pull = BasePull.For(request, registries, cache, folder, loads: engine is not null);
                var plan = await new ImagePlanner(recipe, folder, source, warnings.Add, pull, cache is { IsOn: true } ? new LayerIndexStore(cache.Store) : null).PlanAsync(cancellationToken).ConfigureAwait(false);
                var uncompressed = await LayerProduction.ProduceAsync(plan, source, null, cancellationToken).ConfigureAwait(false);
                var layers = new MadeLayers(plan, source, uncompressed);
                IReadOnlyList<ILayer> blobs = compress
                    ? await CompressedLayers.MakeAsync(uncompressed, layers.CheckedAsync, plan.BaseBlobs, request.Compression, folder, cancellationToken).ConfigureAwait(false)
                    : request.WritesArchive || engine is not null ? await layers.CheckedAsync(cancellationToken).ConfigureAwait(false) : uncompressed;

                var image = ImageBuilder.CreateModel(recipe, plan, blobs);
                ImageCheckRunner.Run(recipe.Checks, plan.Merged, image.Config.Config, image.ImageId, made.Count == 0 ? request.ExpectedImageId : null);
                made.Add(new Made(recipe, plan, layers, uncompressed, image, folder, pull.Store));
            }

            var index = new ImageIndex(made.Select(m => m.Image).ToList(), recipes[0].Config.Annotations);

            IReadOnlyList<string> loadedLines = [];
            if (engine is not null)
            {
                loadedLines = await EngineLoad.LoadAsync(engine, made.Single(m => ReferenceEquals(m.Recipe, loaded)).Image, request.Format, cancellationToken).ConfigureAwait(false);
            }

            PushOutcome? pushed = null;
            if (request.Push)
            {
                var pushedImages = new List<ImageModel>(made.Count);
                var upload = ImageBuilder.UploadWhileCompressing(request, registries!, recipes[0].Image.Value, recipes[0].Image.Position);
                foreach (var m in made)
                {
                    var pushLayers = compress && request.Compression == request.PushCompression
                        ? m.Image.Layers
                        : await PushedLayers.MakeAsync(m.Uncompressed, m.Layers.CheckedAsync, request.PushCompression, m.Staging,
                            cache is { IsOn: true } ? new CompressedDigests(request.Cache!.Root) : null, m.PullStore, upload, cancellationToken).ConfigureAwait(false);
                    pushedImages.Add(ImageBuilder.CreateModel(m.Recipe, m.Plan, pushLayers));
                }

                var locations = cache is { IsOn: true } ? new BlobLocations(request.Cache!.Root) : null;
                pushed = await ImagePush.PushIndexAsync(registries!, new ImageIndex(pushedImages, recipes[0].Config.Annotations), locations, new PushSettings(),
                    request.TransferProgress, recipes[0].Image.Position, upload.Sent, cancellationToken).ConfigureAwait(false);
            }

            var members = new IndexArchiveMembers(index);
            if (!request.WritesArchive)
            {
                // nothing more to write
            }
            else if (request.OutputStream is { } stream)
            {
                await ArchiveWriter.WriteAsync(index.First, ArchiveFormat.Oci, members, stream, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ArchiveWriter.WriteFileAsync(index.First, ArchiveFormat.Oci, members, output, cancellationToken).ConfigureAwait(false);
                request.AfterOutputRenamed?.Invoke(output);
            }

            var first = made[0];
            return new BuildResult
            {
                ImageId = first.Image.ImageId,
                ManifestDigest = first.Image.ManifestDescriptor.Digest,
                IndexDigest = index.Descriptor.Digest,
                Platforms = made.Select(m => new PlatformImage(m.Image.Config.Platform, m.Image.ImageId, m.Image.ManifestDescriptor.Digest)).ToList(),
                Tags = first.Image.FullNames.ToList(),
                RepoTags = first.Image.RepoTags.ToList(),
                Layers = first.Uncompressed.Select((l, i) => new LayerSummary(l.DiffId, l.KnownSize, first.Plan.CreatedBy[i])).ToList(),
                OutputPath = request.WritesArchive ? output : "",
                Warnings = warnings,
                Loaded = loadedLines,
                PushedManifestDigest = pushed?.ManifestDigest,
                Pushed = pushed?.References ?? [],
            };
        }
        finally
        {
            foreach (var writer in writers)
            {
                writer.Dispose();
            }

            staging.Dispose();
        }
    }
}
