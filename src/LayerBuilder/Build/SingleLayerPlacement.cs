using LayerBuilder.Archive;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Planning;
using LayerBuilder.Recipe;
using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.Build;

/// <summary>
/// Where the layer of a one-layer image starts in its archive, known from the plan alone: the archive's
/// layout depends on the lengths of its members, and every digest in them (config, manifest, legacy ids)
/// has the same length whatever its value. So the layout of the image with a stand-in digest and the
/// planned length is the layout of the real image, and the layer can be written straight into the
/// archive instead of being staged and copied (docs/decisions.md D15).
/// </summary>
internal static class SingleLayerPlacement
{
    /// <summary>The data offset of the only layer, or null when the image has other layers (or existing
    /// ones only), or metadata too large to pad over.</summary>
    public static long? DataOffset(BuildRecipe recipe, ImagePlan plan, ArchiveFormat format)
    {
        if (plan.Existing.Count != 0 || plan.Planned.Count != 1)
        {
            return null;
        }

        var model = ImageBuilder.CreateModel(recipe, plan, [new UnwrittenLayer(plan.Planned[0].Length)]);
        return ArchiveLayout.SingleLayerDataOffset(model, format);
    }

    /// <summary>A layer known only by its length, to lay out the archive it will be written into.</summary>
    private sealed class UnwrittenLayer(long size) : LayerBlob
    {
        /// <summary>Any sha256 serves: only its length counts.</summary>
        private static readonly Digest StandIn = Digest.Parse("sha256:" + new string('0', 64));

        public override Digest Digest => StandIn;

        public override Digest DiffId => StandIn;

        public override long Size { get; } = size;

        public override string MediaType => MediaTypes.Layer;

        public override (string Path, long Offset)? TarFile => null;

        public override Stream OpenBlob() => throw new InvalidOperationException("the layer is not written yet");

        public override void CopyInto(SafeFileHandle output, long offset, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the layer is not written yet");
    }
}
