using LayerBuilder.Base;
using LayerBuilder.Cache;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Planning;
using LayerBuilder.Recipe;

namespace LayerBuilder.Build;

/// <summary>
/// Builds the layers of one recipe, bottom to top. Steps are planned in order against the merged view
/// of the layers below (metadata only), and their layers are written concurrently, two at a time:
/// content of a lower layer that a later step needs (a hardlink copy-up, /etc/passwd) waits for that
/// layer to be finished. With a cache, a step whose key is known is not written at all. The one layer
/// of a one-layer image can be written straight into the archive: <paramref name="placeOnlyLayer"/> is
/// asked where, given the image as it will be but for its digests (see <c>ArchiveLayout</c>).
/// </summary>
internal sealed class LayerStack(
    BuildRecipe recipe,
    string staging,
    BuildCache? cache,
    Action<Diagnostic> warn,
    IProgress<LayerProgress>? progress = null,
    Func<BuiltLayers, FileSlot?>? placeOnlyLayer = null) : IDisposable
{
    private static readonly Digest NotYetKnown = Digest.Parse("sha256:" + new string('0', 64));

    private readonly LowerLayerIndex index = new();
    private readonly List<Task<LayerBlob>> layers = [];
    private readonly List<HistoryEntry> history = [];
    private readonly SemaphoreSlim writers = new(2);

    /// <summary>What the layers so far are, for the next cache key: a key, or a diff id when there was none.</summary>
    private Task<Digest?> below = Task.FromResult<Digest?>(null);

    public async Task<BuiltLayers> BuildAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var platform = recipe.Platform;
        var config = new ContainerConfig();
        try
        {
            switch (recipe.Base)
            {
                case ImageBase imageBase:
                    var baseImage = await new BaseImageReader(imageBase, staging, recipe.PlatformSet ? recipe.Platform : null).ReadAsync(stop.Token).ConfigureAwait(false);
                    foreach (var layer in baseImage.Layers)
                    {
                        LayerIndexer.Apply(index, layer, imageBase.Position);
                        layers.Add(Task.FromResult(layer));
                    }

                    var chain = ChainId.Compute(baseImage.Layers.Select(l => l.DiffId).ToList());
                    below = Task.FromResult<Digest?>(chain.Count > 0 ? chain[^1] : null);
                    history.AddRange(baseImage.History);
                    platform = recipe.PlatformSet ? recipe.Platform : baseImage.Platform;
                    config = baseImage.Config;
                    break;
                case RootfsBase rootfs:
                    await AddRootfsAsync(rootfs, stop.Token).ConfigureAwait(false);
                    break;
            }

            var problems = new List<Diagnostic>();
            for (var number = 0; number < recipe.Steps.Count; number++)
            {
                var step = recipe.Steps[number];
                IReadOnlyList<LayerEntry> plan;
                try
                {
                    plan = new StepPlanner(index, recipe.Defaults, recipe.Created, staging).Plan(step);
                }
                catch (LayerBuildException e)
                {
                    // Go on planning the later steps so one run reports every problem; but once a step is
                    // missing from the merged view, only problems that do not depend on it are certain.
                    problems.AddRange(problems.Count == 0 ? e.Diagnostics : e.Diagnostics.Where(IndependentOfLowerLayers));
                    continue;
                }

                if (problems.Count > 0)
                {
                    continue;
                }

                var location = new LayerFile();
                var length = Index(plan, location, top: number == recipe.Steps.Count - 1);
                Add(plan, location, length, $"layerbuild step: {step.Description}", step.Description, stop.Token);
            }

            if (problems.Count > 0)
            {
                var all = new DiagnosticBag();
                all.AddRange(problems);
                all.ThrowIfErrors();
            }

            CheckConfigUser();
            var finished = await Task.WhenAll(layers).ConfigureAwait(false);
            return new BuiltLayers(finished, history, platform, config.With(recipe.Config));
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(layers.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Queues one layer: taken from the cache when its key is known there, else written.</summary>
    private void Add(IReadOnlyList<LayerEntry> entries, LayerFile location, long length, string createdBy, string label, CancellationToken cancellationToken)
    {
        var lower = below;
        var key = KeyAsync(lower, entries);
        var number = layers.Count;
        var entry = new HistoryEntry(recipe.Created, createdBy, "layerbuild");
        Func<FileSlot?>? place = placeOnlyLayer is not null && IsOnlyLayer()
            ? () => placeOnlyLayer(new BuiltLayers([new LayerBlob("", NotYetKnown, length) { CreatedBy = createdBy }], [.. history, entry], recipe.Platform, new ContainerConfig().With(recipe.Config)))
            : null;
        var layer = Task.Run(
            async () =>
            {
                try
                {
                    var blob = await ObtainAsync(await key.ConfigureAwait(false), entries, location, number, label, place, cancellationToken).ConfigureAwait(false);
                    location.Complete(blob.FilePath, blob.Offset);
                    return blob with { CreatedBy = createdBy };
                }
                catch (Exception e)
                {
                    location.Fail(e);
                    throw;
                }
            },
            CancellationToken.None); // always run the body: a later step may be waiting on this layer's location
        layers.Add(layer);
        history.Add(entry);
        below = IdentityAsync(key, layer);
    }

    private async Task<Digest?> KeyAsync(Task<Digest?> lower, IReadOnlyList<LayerEntry> entries) =>
        cache is null ? null : StepCacheKey.Compute(await lower.ConfigureAwait(false), entries, staging);

    private static async Task<Digest?> IdentityAsync(Task<Digest?> key, Task<LayerBlob> layer) =>
        await key.ConfigureAwait(false) ?? (await layer.ConfigureAwait(false)).DiffId;

    /// <summary>True while adding the first layer of an image that will have no other: a scratch base and
    /// one step, or a rootfs folder and no steps.</summary>
    private bool IsOnlyLayer() => layers.Count == 0 && recipe.Base switch
    {
        ScratchBase => recipe.Steps.Count == 1,
        RootfsBase => recipe.Steps.Count == 0,
        _ => false,
    };

    private async Task<LayerBlob> ObtainAsync(Digest? key, IReadOnlyList<LayerEntry> entries, LayerFile location, int number, string description, Func<FileSlot?>? place, CancellationToken cancellationToken)
    {
        if (key is { } k && cache?.TryGet(k) is { } hit)
        {
            progress?.Report(new LayerProgress(number, description, entries.Count, hit.Size, Done: true, FromCache: true));
            return hit;
        }

        await writers.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var slot = place?.Invoke();
            var cacheTemp = CacheTempPath(key);
            LayerBlob blob;
            try
            {
                blob = await LayerWriter.WriteAsync(new LayerTarget(cacheTemp ?? (slot is null ? StagingPath(number) : null), slot), location, entries, null, Report(number, description, entries.Count), cancellationToken).ConfigureAwait(false);
            }
            catch (LayerBuildException e) when (cacheTemp is not null && cache!.GiveUpAfterWriteFailure(e))
            {
                // The cache's disk refused the layer (full, read-only): write it again where it would go without a cache.
                cacheTemp = null;
                blob = await LayerWriter.WriteAsync(new LayerTarget(slot is null ? StagingPath(number) : null, slot), location, entries, null, Report(number, description, entries.Count), cancellationToken).ConfigureAwait(false);
            }

            blob = cacheTemp is not null && key is { } k2 ? cache!.Put(k2, blob) : blob;

            // Written into the archive (and the cache too, when keyed): the archive's copy is the one to use.
            return slot is null ? blob : blob with { FilePath = slot.FilePath, Offset = slot.Offset };
        }
        finally
        {
            writers.Release();
        }
    }

    /// <summary>The root filesystem is layer 0. A tar is streamed (its entries reach the index as they
    /// are written); a folder is walked first, like a step.</summary>
    private async Task AddRootfsAsync(RootfsBase rootfs, CancellationToken cancellationToken)
    {
        var created = recipe.Created.ToUnixTimeSeconds();
        var createdBy = $"layerbuild base rootfs {Path.GetFileName(rootfs.HostPath.TrimEnd(Path.DirectorySeparatorChar))}";
        if (Directory.Exists(rootfs.HostPath))
        {
            var entries = new RootfsFolderSource(rootfs.HostPath, rootfs.Position, created).Entries().ToList();
            var location = new LayerFile();
            var length = Index(entries, location, top: recipe.Steps.Count == 0);
            Add(entries, location, length, createdBy, "base rootfs", cancellationToken);
            return;
        }

        if (!File.Exists(rootfs.HostPath))
        {
            throw new LayerBuildException(DiagnosticCodes.SourceNotFound, rootfs.Position,
                $"base rootfs '{rootfs.HostPath}' does not exist; give a tar, a compressed tar or a folder");
        }

        var key = cache is not { IsOn: true } ? (Digest?)null : StepCacheKey.ForFile("rootfs-tar", rootfs.HostPath, created);
        LayerBlob blob;
        if (key is { } k && cache?.TryGet(k) is { } hit)
        {
            blob = hit;
            LayerIndexer.Apply(index, hit, rootfs.Position);
        }
        else
        {
            var location = new LayerFile();
            var source = new RootfsTarSource(rootfs.HostPath, rootfs.Position, created, warn).Entries();
            long written = 0;
            var report = Report(0, "base rootfs", -1);
            var cacheTemp = CacheTempPath(key);
            blob = await LayerWriter.WriteAsync(cacheTemp ?? StagingPath(0), location, source, Apply, report is null ? null : (files, bytes) => report(written = files, bytes), cancellationToken).ConfigureAwait(false);
            progress?.Report(new LayerProgress(0, "base rootfs", written, blob.Size, Done: true, FromCache: false));
            blob = cacheTemp is not null && key is { } k2 ? cache!.Put(k2, blob) : blob;
            location.Complete(blob.FilePath, blob.Offset);
        }

        layers.Add(Task.FromResult(blob with { CreatedBy = createdBy }));
        history.Add(new HistoryEntry(recipe.Created, createdBy, "layerbuild"));
        below = Task.FromResult<Digest?>(key ?? blob.DiffId);
    }

    public void Dispose() => writers.Dispose();

    /// <summary>A layer with a key is written where the cache can take it over by renaming; null when
    /// it has no key or the cache is off (then it is staged).</summary>
    private string? CacheTempPath(Digest? key) => key is not null ? cache?.NewTempPath() : null;

    private string StagingPath(int number) => Path.Combine(staging, $"layer-{number}.tar");

    /// <summary>Problems of a step that stand whatever the layers below hold: its own inputs and paths.</summary>
    private static bool IndependentOfLowerLayers(Diagnostic diagnostic) =>
        diagnostic.Code.Number < 2000 ||
        diagnostic.Code == DiagnosticCodes.SourceNotFound ||
        diagnostic.Code == DiagnosticCodes.GlobMatchesNothing ||
        diagnostic.Code == DiagnosticCodes.SourceUnreadable ||
        diagnostic.Code == DiagnosticCodes.UnsupportedEntry ||
        diagnostic.Code == DiagnosticCodes.UnsupportedArchive ||
        diagnostic.Code == DiagnosticCodes.UnsafeArchiveEntry;

    private Action<long, long>? Report(int number, string description, long total) => progress is null
        ? null
        : (files, bytes) => progress.Report(new LayerProgress(number, description, files, bytes, Done: files == total, FromCache: false));

    /// <summary>Records a planned layer in the merged view, for the steps above it and the config's user
    /// name; returns the layer's length. The top layer of an image whose user is not a name is needed by
    /// neither, so it is only measured (for 100,000 files that saves a copy of every entry).</summary>
    private long Index(IReadOnlyList<LayerEntry> entries, LayerFile location, bool top)
    {
        if (top && recipe.Config.UserOwner is not { Numeric: null })
        {
            return LayerOffsets.TarLength(entries);
        }

        return LayerOffsets.Store(entries, location, Apply);
    }

    /// <summary>Records a written entry in the merged view; a hard link is the file it names.</summary>
    private void Apply(LayerEntry entry)
    {
        if (entry.Kind == EntryKind.Hardlink && index.Get(ImagePath.Parse(entry.LinkTarget!)) is { Kind: EntryKind.File } target)
        {
            index.Apply(target with { Path = entry.Path });
            return;
        }

        index.Apply(entry);
    }

    /// <summary>Names stay names in the config (the runtime resolves them), but they must exist in the image.</summary>
    private void CheckConfigUser()
    {
        if (recipe.Config.UserOwner is { Numeric: null } user)
        {
            var diagnostics = new DiagnosticBag();
            new OwnerResolver(index, diagnostics).Resolve(user);
            diagnostics.ThrowIfErrors();
        }
    }
}
