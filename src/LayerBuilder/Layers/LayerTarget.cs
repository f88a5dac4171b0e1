namespace LayerBuilder.Layers;

/// <summary>
/// Where a layer's bytes go while they are written: a file of its own (staged, or bound for the cache),
/// a slot inside the archive being written, or both. The same buffers are written to each.
/// </summary>
public sealed record LayerTarget(string? FilePath, FileSlot? Slot = null)
{
    public static implicit operator LayerTarget(string filePath) => new(filePath);

    /// <summary>The file and offset the finished layer is read from: its own file when it has one.</summary>
    public (string FilePath, long Offset) Home => FilePath is not null
        ? (FilePath, 0)
        : Slot is { } slot ? (slot.FilePath, slot.Offset) : throw new InvalidOperationException("a layer target needs a file or a slot");
}
