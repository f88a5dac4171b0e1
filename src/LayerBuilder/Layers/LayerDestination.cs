namespace LayerBuilder.Layers;

/// <summary>
/// Where a layer's bytes go while they are written: a file of its own (staged, or bound for the cache),
/// its slot in the archive being written, or both. The same buffers are written to each.
/// </summary>
internal sealed record LayerDestination(string? FilePath, ArchiveSlot? Slot = null)
{
    public static implicit operator LayerDestination(string filePath) => new(filePath);
}
