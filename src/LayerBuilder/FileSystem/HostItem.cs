namespace LayerBuilder.FileSystem;

/// <summary>
/// One host file-system object found under a copy source, with its path relative to it. A walk makes
/// one per file, so the relative path is kept as a place in the host path and made into a string
/// only when asked for.
/// </summary>
internal sealed class HostItem
{
    private readonly int relativeStart;
    private string? relativePath;

    public HostItem(string hostPath, string relativePath, HostFileInfo info)
    {
        HostPath = hostPath;
        this.relativePath = relativePath;
        Info = info;
    }

    /// <param name="hostPath">The full host path.</param>
    /// <param name="relativeStart">Where in <paramref name="hostPath"/> the path relative to the walked folder starts.</param>
    /// <param name="info">What a stat of the item saw.</param>
    internal HostItem(string hostPath, int relativeStart, HostFileInfo info)
    {
        HostPath = hostPath;
        this.relativeStart = relativeStart;
        Info = info;
    }

    public string HostPath { get; }

    /// <summary>'/'-separated, whatever the host's separator.</summary>
    public string RelativePath => relativePath ??= ToSlashes(HostPath.AsSpan(relativeStart));

    public HostFileInfo Info { get; }

    /// <summary><see cref="RelativePath"/> without making a string where the host separator is '/' already.</summary>
    internal ReadOnlySpan<char> RelativeChars =>
        relativePath is null && Path.DirectorySeparatorChar == '/' ? HostPath.AsSpan(relativeStart) : RelativePath;

    /// <summary>A relative host path with '/' for the host's separator (names on a '/' host may hold '\').</summary>
    internal static string ToSlashes(ReadOnlySpan<char> relative) =>
        Path.DirectorySeparatorChar == '/' ? relative.ToString() : relative.ToString().Replace(Path.DirectorySeparatorChar, '/');
}
