using LayerBuilder.Image;
using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.Layers;

/// <summary>
/// The one layer of a one-layer image, written straight into the archive file at the place the archive's
/// layout gives it (<see cref="ArchiveSlot"/>), so it is never copied: putting it into the archive moves
/// no bytes.
/// </summary>
internal sealed class PlacedLayer(ArchiveSlot slot, Digest diffId, long size) : LayerBlob
{
    public ArchiveSlot Slot { get; } = slot;

    public override Digest Digest => DiffId;

    public override Digest DiffId { get; } = diffId;

    public override long Size { get; } = size;

    public override string MediaType => MediaTypes.Layer;

    public override (string Path, long Offset)? TarFile => (Slot.FilePath, Slot.Offset);

    public override Stream OpenBlob()
    {
        var stream = new FileStream(Slot.FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        stream.Position = Slot.Offset;
        return new BoundedReadStream(stream, Size);
    }

    public override void CopyInto(SafeFileHandle output, long offset, CancellationToken cancellationToken)
    {
        // The layout that chose the slot is the layout being written; anything else is a bug, never data.
        if (output != Slot.Handle || offset != Slot.Offset)
        {
            throw new InvalidOperationException($"the layer was written at {Slot.Offset} of {Slot.FilePath}, but belongs at {offset} of another file");
        }
    }
}
