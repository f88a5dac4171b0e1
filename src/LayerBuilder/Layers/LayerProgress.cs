namespace LayerBuilder.Layers;

/// <summary>How far the writing of one layer has got, for front ends that show progress.</summary>
public sealed record LayerProgress(int Layer, string Description, long Files, long Bytes, bool Done, bool FromCache);
