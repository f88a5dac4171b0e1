using LayerBuilder.Image;

namespace LayerBuilder.Layers;

/// <summary>A compressed form of a layer: its own file, digest and size (what a manifest descriptor names).</summary>
public sealed record CompressedBlob(string FilePath, Digest Digest, long Size, string MediaType);
