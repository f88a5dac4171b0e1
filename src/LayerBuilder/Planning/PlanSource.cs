using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Planning;

/// <summary>
/// Where in the recipe a group of planned entries comes from: one per recipe item (a copy, a files
/// entry, ...), shared by every entry it brings. The words for "written twice" errors are made from it
/// only when such an error is reported; no entry carries them (docs/decisions.md, D29).
/// </summary>
internal sealed class PlanSource(string origin, SourcePosition position)
{
    public SourcePosition Position => position;

    /// <summary>The owner of the host files and folders a copy walks (they keep no owner of their own).</summary>
    public Owner Owner { get; init; }

    /// <summary>For an extract: the folder its entries are re-rooted under, so an error names the entry.</summary>
    public ImagePath? EntriesUnder { get; init; }

    /// <summary>Human words for where the entry at <paramref name="path"/> came from.</summary>
    public string Describe(ImagePath path) =>
        EntriesUnder is { } under && path.IsSameOrUnder(under) && path != under
            ? $"{origin} entry '{(under.IsRoot ? path.TarName : path.Value[(under.Value.Length + 1)..])}'"
            : origin;
}
