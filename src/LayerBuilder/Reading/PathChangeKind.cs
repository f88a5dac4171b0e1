namespace LayerBuilder.Reading;

/// <summary>How a path of the final filesystem differs between two images.</summary>
public enum PathChangeKind
{
    /// <summary>Only the second image has the path.</summary>
    Added,

    /// <summary>Only the first image has the path.</summary>
    Removed,

    /// <summary>Both have it, and something <see cref="PathAspects"/> names differs.</summary>
    Changed,
}
