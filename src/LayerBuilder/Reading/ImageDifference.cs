namespace LayerBuilder.Reading;

/// <summary>What differs between two images (<see cref="ImageComparison.CompareAsync"/>): their configs
/// value by value, and their final filesystems path by path.</summary>
public sealed class ImageDifference
{
    internal ImageDifference(IReadOnlyList<ConfigChange> configChanges, IReadOnlyList<PathChange> pathChanges)
    {
        ConfigChanges = configChanges;
        PathChanges = pathChanges;
    }

    /// <summary>Config values that differ, sorted by field (ordinal).</summary>
    public IReadOnlyList<ConfigChange> ConfigChanges { get; }

    /// <summary>Paths that differ, sorted by path (ordinal).</summary>
    public IReadOnlyList<PathChange> PathChanges { get; }

    /// <summary>True when neither the configs nor the filesystems differ.</summary>
    public bool AreEqual => ConfigChanges.Count == 0 && PathChanges.Count == 0;
}
