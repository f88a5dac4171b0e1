using LayerBuilder.Base;
using LayerBuilder.Cache;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Recipe;
using LayerBuilder.Registry;

namespace LayerBuilder.Planning;

/// <summary>
/// Plans a whole image, bottom to top, against a merged view of the layers below each step (metadata
/// only): the base is read (its layers checked), a rootfs tar is streamed into layer 0, and every step
/// becomes the exact entry list and length of its layer. Nothing of the steps is written here; the
/// names the config's user gives are checked against the finished view.
/// </summary>
internal sealed class ImagePlanner(BuildRecipe recipe, string staging, ILayerSource source, Action<Diagnostic> warn, RegistryPull? registry = null, LayerIndexStore? indexes = null)
{
    private readonly LowerLayerIndex lowerLayers = new();

    /// <summary>The base's layers not yet read into <see cref="lowerLayers"/> (see <see cref="Index"/>).</summary>
    private readonly List<(LayerBlob Layer, SourcePosition Position)> unindexed = [];
    private readonly List<LayerBlob> existing = [];
    private readonly List<PlannedLayer> planned = [];
    private readonly List<string> createdBy = [];
    private readonly List<HistoryEntry> history = [];
    private Digest? baseChain;
    private IReadOnlyList<PulledLayerBlob?> baseBlobs = [];

    /// <summary>
    /// The merged view of the layers below (metadata only). A base's layers are read into it (every tar
    /// header, docs/decisions.md D75) the first time something looks: a step, a config user given by name,
    /// a check (<see cref="ReadsBase"/>). A recipe that only re-labels or re-packs its base never reads the
    /// base's tars, which were checked against their diff ids when they were read or pulled, and are copied
    /// as they are (a pulled layer's tar may not even exist: it is made, and checked, when first read, D79).
    /// </summary>
    private LowerLayerIndex Index
    {
        get
        {
            if (unindexed.Count > 0)
            {
                // Taken off the list first: a tar that fails is reported by the first reader only.
                var pending = unindexed.ToList();
                unindexed.Clear();
                foreach (var (layer, position) in pending)
                {
                    LayerIndexer.Apply(lowerLayers, layer, position, indexes);
                }
            }

            return lowerLayers;
        }
    }

    /// <summary>Whether the plan reads the base's layers through <see cref="Index"/>: a step, a check, an image
    /// requirement, a config user given by name. A reader left out here is still served (a pulled tar is
    /// made when first read); it only loses the pull's overlap of download and decompression.</summary>
    private bool ReadsBase => recipe.Steps.Count > 0 || recipe.Checks.Count > 0 || recipe.ImageRequirements.Count > 0 || recipe.Config.User is { Numeric: null };

    /// <summary>The work of the highest layer this build makes so far: what the next one stacks on.</summary>
    private LayerWork? lastWork;

    public async Task<ImagePlan> PlanAsync(CancellationToken cancellationToken)
    {
        var platform = recipe.Platform;
        var config = new ContainerConfig();
        switch (recipe.Base)
        {
            case ImageBase imageBase:
                var archived = await new BaseImageReader(imageBase, staging, recipe.PlatformSet ? recipe.Platform : null).ReadAsync(cancellationToken).ConfigureAwait(false);
                (platform, config) = Inherit(archived, imageBase.Position);
                break;
            case RegistryBase registryBase:
                var pull = registry ?? throw new InvalidOperationException("a registry base needs the build's registry session");
                // When neither the plan nor the outputs read the base's tars, the pull only keeps the blobs (D79).
                var pulled = await new RegistryBaseReader(registryBase, pull, recipe.PlatformSet ? recipe.Platform : null, deferTars: !ReadsBase && !pull.OutputsReadTars)
                    .ReadAsync(cancellationToken).ConfigureAwait(false);
                (platform, config) = Inherit(pulled, registryBase.Position);
                break;
            case RootfsBase rootfs:
                await AddRootfsAsync(rootfs, cancellationToken).ConfigureAwait(false);
                break;
        }

        PlanSteps();
        CheckConfigUser();
        CheckImage();
        var diagnostics = new DiagnosticBag();
        var merged = ConfigMerge.Apply(config, recipe.Config, platform, diagnostics);
        diagnostics.ThrowIfErrors();
        return new ImagePlan(existing, planned, createdBy, history, platform, merged)
        {
            Merged = recipe.Checks.Count > 0 ? Index : null,
            BaseBlobs = baseBlobs,
        };
    }

    /// <summary>Stacks an inherited image's layers (checked by its reader) at the bottom and takes its
    /// history; its platform unless the recipe sets one, and its runtime config.</summary>
    private (Platform Platform, ContainerConfig Config) Inherit(InheritedImage baseImage, SourcePosition position)
    {
        // A recipe of several platforms stacks each on the base's image of that platform, never on another's
        // (an archive or layout that lacks it, or a base of one platform): docs/recipe.md, "Several platforms".
        if (recipe.OfPlatforms && !Fits(baseImage.Platform, recipe.Platform))
        {
            throw new LayerBuildException(DiagnosticCodes.BasePlatformMissing, position,
                $"base '{baseImage.Name}' has no image for {recipe.Platform} (the one it gave is {baseImage.Platform}); a recipe with 'platforms' needs a base with an image of each, such as a multi-platform index");
        }

        foreach (var layer in baseImage.Layers)
        {
            unindexed.Add((layer, position));
            existing.Add(layer);
            createdBy.Add("base image " + baseImage.Name);
        }

        var chain = ChainId.Compute(baseImage.Layers.Select(l => l.DiffId).ToList());
        baseChain = chain.Count > 0 ? chain[^1] : null;
        history.AddRange(baseImage.History);
        baseBlobs = baseImage.Blobs;
        return (recipe.PlatformSet ? recipe.Platform : baseImage.Platform, baseImage.Config);
    }

    /// <summary>Whether a base of <paramref name="given"/> is the <paramref name="wanted"/> platform: os and
    /// architecture equal, variants equal when both name one.</summary>
    private static bool Fits(Platform given, Platform wanted) =>
        given.Os == wanted.Os && given.Architecture == wanted.Architecture &&
        (given.Variant is null || wanted.Variant is null || given.Variant == wanted.Variant);

    private void PlanSteps()
    {
        if (recipe.Steps.Count == 0)
        {
            return;
        }

        // A base whose tar cannot be read stops the build here, once, not as a problem of each step.
        var lower = Index;
        var problems = new List<Diagnostic>();
        for (var number = 0; number < recipe.Steps.Count; number++)
        {
            var step = recipe.Steps[number];
            IReadOnlyList<LayerEntry> entries;
            try
            {
                entries = new StepPlanner(lower, recipe.Defaults, recipe.Created, staging).Plan(step);
            }
            catch (LayerBuildException e)
            {
                // Go on planning the later steps so one run reports every problem; but once a step is
                // missing from the merged view, only problems that do not depend on it are certain.
                problems.AddRange(problems.Count == 0 ? e.Diagnostics : e.Diagnostics.Where(IndependentOfLowerLayers));
                continue;
            }

            if (problems.Count == 0)
            {
                Add(entries, $"layerbuild step: {step.Description}", step.Description, top: number == recipe.Steps.Count - 1);
            }
        }

        if (problems.Count > 0)
        {
            var all = new DiagnosticBag();
            all.AddRange(problems);
            all.ThrowIfErrors();
        }
    }

    /// <summary>Adds a planned layer on top of the others, recording its entries in the merged view.</summary>
    private void Add(IReadOnlyList<LayerEntry> entries, string created, string label, bool top)
    {
        var location = new LayerLocation();
        var length = Record(entries, location, top);
        var work = new PlannedLayer(existing.Count + planned.Count, label, lastWork, baseChain, entries, length, location);
        foreach (var lower in planned.Where(p => work.LowerInputs.Contains(p.Location)))
        {
            lower.ReadBeforeArchive = true;
        }

        planned.Add(work);
        lastWork = work;
        createdBy.Add(created);
        history.Add(new HistoryEntry(recipe.ImageTime, created, "layerbuild"));
    }

    /// <summary>The root filesystem is layer 0. A tar is streamed (its entries reach the merged view as
    /// they are written); a folder is walked first, like a step.</summary>
    private async Task AddRootfsAsync(RootfsBase rootfs, CancellationToken cancellationToken)
    {
        var created = recipe.Created.ToUnixTimeSeconds();
        var createdByRootfs = $"layerbuild base rootfs {Path.GetFileName(rootfs.HostPath.TrimEnd(Path.DirectorySeparatorChar))}";
        if (Directory.Exists(rootfs.HostPath))
        {
            var entries = new RootfsFolderSource(rootfs.HostPath, rootfs.Position, created).Entries().ToList();
            Add(entries, createdByRootfs, "base rootfs", top: recipe.Steps.Count == 0);
            return;
        }

        if (!File.Exists(rootfs.HostPath))
        {
            throw new LayerBuildException(DiagnosticCodes.SourceNotFound, rootfs.Position,
                $"base rootfs '{rootfs.HostPath}' does not exist; give a tar, a compressed tar or a folder");
        }

        var work = new StreamedRootfsLayer(rootfs.HostPath, rootfs.Position, created, warn, Index, Apply, indexes) { ReadBeforeArchive = true };
        LayerBlob layer;
        try
        {
            layer = await source.ObtainAsync(work, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            work.Fail(e);
            throw;
        }

        work.Finish(layer);
        lastWork = work;
        existing.Add(layer);
        createdBy.Add(createdByRootfs);
        history.Add(new HistoryEntry(recipe.ImageTime, createdByRootfs, "layerbuild"));
    }

    /// <summary>Problems of a step that stand whatever the layers below hold: its own inputs and paths.</summary>
    private static bool IndependentOfLowerLayers(Diagnostic diagnostic) =>
        diagnostic.Code.Number < 2000 ||
        diagnostic.Code == DiagnosticCodes.SourceNotFound ||
        diagnostic.Code == DiagnosticCodes.GlobMatchesNothing ||
        diagnostic.Code == DiagnosticCodes.SourceUnreadable ||
        diagnostic.Code == DiagnosticCodes.UnsupportedEntry ||
        diagnostic.Code == DiagnosticCodes.UnsupportedArchive ||
        diagnostic.Code == DiagnosticCodes.UnsafeArchiveEntry;

    /// <summary>Records a planned layer in the merged view, for the steps above it, the config's user
    /// name and the recipe's checks; returns the layer's length. The top layer of an image whose user is not
    /// a name and that has no checks is needed by none, so it is only measured (for 100,000 files that saves a copy of every entry).</summary>
    private long Record(IReadOnlyList<LayerEntry> entries, LayerLocation location, bool top)
    {
        if (top && recipe.Config.User is not { Numeric: null } && recipe.Checks.Count == 0)
        {
            return LayerOffsets.TarLength(entries);
        }

        return LayerOffsets.Store(entries, location, Apply);
    }

    /// <summary>Records a written entry in the merged view; a hard link is the file it names.</summary>
    private void Apply(LayerEntry entry)
    {
        if (entry.Kind == EntryKind.Hardlink && Index.Get(ImagePath.Parse(entry.LinkTarget!)) is { Kind: EntryKind.File } target)
        {
            Index.Apply(target with { Path = entry.Path });
            return;
        }

        Index.Apply(entry);
    }

    /// <summary>Names stay names in the config (the runtime resolves them), but they must exist in the image.</summary>
    /// <summary>The front end's checks of the finished image: warnings go on, errors stop the build here.</summary>
    private void CheckImage()
    {
        var errors = DiagnosticBag.Findings();
        foreach (var check in recipe.ImageRequirements.Where(c => !c.Holds(Index)))
        {
            if (check.Severity == Severity.Error)
            {
                errors.AddRange([check.Diagnostic]);
            }
            else
            {
                warn(check.Diagnostic);
            }
        }

        errors.ThrowIfErrors();
    }

    private void CheckConfigUser()
    {
        if (recipe.Config.User is { Numeric: null } user)
        {
            var diagnostics = new DiagnosticBag();
            new OwnerResolver(Index, diagnostics).Resolve(user);
            diagnostics.ThrowIfErrors();
        }
    }
}
