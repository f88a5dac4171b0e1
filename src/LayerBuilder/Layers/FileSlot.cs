using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.Layers;

/// <summary>A place inside a file that is open for writing: a layer written here needs no copy of its own
/// (the one layer of an image is written straight into the archive, see <c>ArchiveLayout</c>).</summary>
public sealed record FileSlot(SafeFileHandle Handle, string FilePath, long Offset);
