using LayerBuilder.Image;

namespace LayerBuilder.Layers;

/// <summary>What writing a layer tar measured while the bytes moved: its sha256 (the diff id) and length.</summary>
internal readonly record struct WrittenTar(Digest DiffId, long Size);
