namespace LayerBuilder.Archive;

/// <summary>Cached layers found rotted before an archive was streamed (<see cref="CachedLayerCheck"/>): their files, to evict.</summary>
internal sealed class DamagedLayersException(IReadOnlyList<string> paths)
    : Exception($"{paths.Count} cached layer(s) no longer match their digest")
{
    public IReadOnlyList<string> Paths { get; } = paths;
}
