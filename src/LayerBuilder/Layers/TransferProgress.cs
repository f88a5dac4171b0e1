using LayerBuilder.Image;

namespace LayerBuilder.Layers;

/// <summary>How far one blob's transfer to or from a registry has got, for front ends that show progress:
/// <paramref name="Action"/> is <c>pull</c> (or what a push does), <paramref name="Total"/> the blob's size
/// when the manifest says it, <paramref name="Done"/> true once, at the end.</summary>
public sealed record TransferProgress(string Action, string Repository, Digest Digest, long Bytes, long? Total, bool Done);
