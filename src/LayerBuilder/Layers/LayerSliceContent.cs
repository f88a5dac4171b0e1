using LayerBuilder.FileSystem;

namespace LayerBuilder.Layers;

/// <summary>
/// A byte range of a lower layer's tar: used to copy a lower-layer file up into a step's layer (a
/// hardlink's target must sit in the same layer) without keeping it anywhere else.
/// </summary>
internal sealed record LayerSliceContent(LayerLocation Location, long Offset, long Length) : ContentSource(Length)
{
    /// <summary>Where the layer will take these bytes from, for reads while the image is still being
    /// planned (a later step's owner names are looked up in an earlier step's /etc/passwd before any layer
    /// is written). The same bytes the layer will hold: its writer checks the source against the plan.</summary>
    public ContentSource? Planned { get; init; }

    public override Stream Open()
    {
        if (Planned is { } planned && !Location.Placed.IsCompleted)
        {
            return planned.Open();
        }

        var (path, start) = Location.WaitForPlace();
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        stream.Position = start + Offset;
        return stream;
    }
}
