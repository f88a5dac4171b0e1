using LayerBuilder.Archive;
using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Recipe;

namespace LayerBuilder.Faults;

/// <summary>
/// A recipe's <c>faults:</c> (docs/fixtures.md, "Fixtures that break on purpose"). Those that need the
/// image itself to change do so on the model: the tar-content faults add a <see cref="FaultLayer"/> on
/// top (with a history entry naming them), and <c>layer-digest-mismatch</c> describes the top layer with a
/// diff id its bytes do not have (<see cref="MisdescribedLayer"/>). The rest change only archive members
/// (<see cref="FaultyArchiveMembers"/>). With no faults every step here gives back what it was given.
/// </summary>
internal sealed class ImageFaults
{
    private const string HistoryComment = "defective on purpose: recipe faults";

    private readonly IReadOnlyList<Positioned<ImageFault>> faults;
    private readonly HashSet<ImageFault> set;

    public ImageFaults(IReadOnlyList<Positioned<ImageFault>> faults)
    {
        this.faults = faults;
        set = faults.Select(f => f.Value).ToHashSet();
    }

    public bool Any => set.Count > 0;

    /// <summary>Refuses a fault the format cannot hold, before the build does any work (LB1056).</summary>
    public void CheckFormat(ArchiveFormat format)
    {
        if (format != ArchiveFormat.Oci && faults.Where(f => f.Value == ImageFault.MissingManifest).Select(f => (Positioned<ImageFault>?)f).FirstOrDefault() is { } fault)
        {
            throw new LayerBuildException(DiagnosticCodes.FaultNotApplicable, fault.Position,
                "fault 'missing-manifest' needs the oci format (--format oci): the docker format has no index naming a manifest");
        }
    }

    /// <summary>The image with the model-level faults applied.</summary>
    public ImageModel Apply(ImageModel image)
    {
        if (!Any)
        {
            return image;
        }

        var layers = image.Layers.ToList();
        var history = image.Config.History.ToList();
        if (FaultLayer.For(set, image.Config.Created) is { } layer)
        {
            layers.Add(layer);
            var names = string.Join(' ', faults.Select(f => f.Value).Distinct().Where(IsInLayer).Select(FaultNames.NameOf));
            history.Add(new HistoryEntry(image.Config.Created, $"layerbuild fault: {names}", HistoryComment));
        }

        if (layers.Count == 0 && faults.Where(f => NeedsLayer(f.Value)).Select(f => (Positioned<ImageFault>?)f).FirstOrDefault() is { } needy)
        {
            throw new LayerBuildException(DiagnosticCodes.FaultNotApplicable, needy.Position,
                $"fault '{FaultNames.NameOf(needy.Value)}' needs a layer, and the image has none: add a step");
        }

        if (set.Contains(ImageFault.LayerDigestMismatch))
        {
            layers[^1] = new MisdescribedLayer(layers[^1]);
        }

        var config = image.Config with { DiffIds = layers.Select(l => l.DiffId).ToList(), History = history };
        return new ImageModel(image.Reference, image.Tags, config, layers, image.Annotations);
    }

    /// <summary>What writes the archive's members: the save format's, decorated when a fault changes them.</summary>
    public IArchiveMembers Members(IArchiveMembers members) => Any ? new FaultyArchiveMembers(members, set) : members;

    /// <summary>The faults, for the key that tells a faulty archive from the sound one of the same image.</summary>
    public string Identity => string.Join(',', set.Order().Select(FaultNames.NameOf));

    private static bool NeedsLayer(ImageFault fault) => fault is ImageFault.LayerDigestMismatch or ImageFault.MissingLayer or ImageFault.TruncatedLayer;

    private static bool IsInLayer(ImageFault fault) => fault is ImageFault.PathTraversal or ImageFault.AbsolutePath or ImageFault.SymlinkEscape;
}
