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

    /// <summary>The mtime of the walked entries, when the recipe item sets one (<c>mtime</c> of a copy): seconds
    /// and sub-second ticks as <see cref="LayerEntry"/> holds them; null for the step's.</summary>
    public (long Seconds, int Fraction)? ModifiedTime { get; init; }

    /// <summary>Extended attributes every walked entry gets (<c>xattrs</c> of a copy), over the host's.</summary>
    public IReadOnlyDictionary<string, byte[]>? Xattrs { get; init; }

    /// <summary>For an extract: the folder its entries are re-rooted under, so an error names the entry.</summary>
    public ImagePath? EntriesUnder { get; init; }

    /// <summary>Human words for where the entry at <paramref name="path"/> came from.</summary>
    public string Describe(ImagePath path) =>
        EntriesUnder is { } under && path.IsSameOrUnder(under) && path != under
            ? $"{origin} entry '{(under.IsRoot ? path.TarName : path.Value[(under.Value.Length + 1)..])}'"
            : origin;
}
