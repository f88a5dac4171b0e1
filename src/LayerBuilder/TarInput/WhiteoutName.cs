using LayerBuilder.FileSystem;

namespace LayerBuilder.TarInput;

/// <summary>
/// Names that a layer reads as whiteouts (OCI image spec, "Whiteouts"): <c>.wh.NAME</c> deletes NAME
/// from the layers below, <c>.wh..wh..opq</c> empties its folder. A tar entry under such a name is no
/// file to a loader, so an input tar that holds one is refused rather than written into a layer.
/// </summary>
internal static class WhiteoutName
{
    public const string Prefix = ".wh.";

    /// <summary>The first component of <paramref name="path"/> that is a whiteout name, or null.</summary>
    public static string? Find(ImagePath path)
    {
        // Every component follows a '/', so one search finds the first whiteout component.
        var at = path.Value.IndexOf("/" + Prefix, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var component = path.Value.AsSpan(at + 1);
        var end = component.IndexOf('/');
        return (end < 0 ? component : component[..end]).ToString();
    }
}
