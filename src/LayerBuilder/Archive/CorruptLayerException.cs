using LayerBuilder.Image;

namespace LayerBuilder.Archive;

/// <summary>A stored layer's bytes no longer hash to its diff id (a damaged cache entry).</summary>
public sealed class CorruptLayerException(string path, Digest expected, Digest actual)
    : IOException($"layer file {path} hashes to {actual}, not {expected}")
{
    public string LayerPath { get; } = path;
}
