using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.Layers;

/// <summary>The place of a one-layer image's layer inside the archive file being written: the open file
/// and the offset its data starts at (docs/decisions.md D15 and the archive layout).</summary>
internal sealed record ArchiveSlot(SafeFileHandle Handle, string FilePath, long Offset);
