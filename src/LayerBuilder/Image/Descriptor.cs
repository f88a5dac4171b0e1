namespace LayerBuilder.Image;

/// <summary>An OCI content descriptor (image-spec descriptor.md): what a blob is, its digest and exact size.</summary>
public sealed record Descriptor(string MediaType, Digest Digest, long Size)
{
    /// <summary>Annotations, written sorted by key.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
