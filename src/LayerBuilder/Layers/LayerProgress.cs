namespace LayerBuilder.Layers;

/// <summary>How far the writing of one layer has got, for front ends that show progress.</summary>
public sealed record LayerProgress(int Layer, string Description, long Files, long Bytes, bool Done, bool FromCache)
{
    /// <summary>How many entries the layer has in all; null when that is only known once it is written (a base
    /// root filesystem streamed from its tar).</summary>
    public long? TotalFiles { get; init; }

    /// <summary>How many bytes the layer tar has in all; null when that is only known once it is written.</summary>
    public long? TotalBytes { get; init; }
}
