using System.Formats.Tar;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Layers;

/// <summary>The tar typeflags loaders can extract, as layer entry kinds; everything else (sparse,
/// multi-volume, dump-dir) has none.</summary>
internal static class TarEntryKinds
{
    public static bool TryMap(TarEntryType type, out EntryKind kind)
    {
        EntryKind? mapped = type switch
        {
            TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => EntryKind.File,
            TarEntryType.Directory => EntryKind.Directory,
            TarEntryType.SymbolicLink => EntryKind.Symlink,
            TarEntryType.HardLink => EntryKind.Hardlink,
            TarEntryType.CharacterDevice => EntryKind.CharDevice,
            TarEntryType.BlockDevice => EntryKind.BlockDevice,
            TarEntryType.Fifo => EntryKind.Fifo,
            _ => null,
        };
        kind = mapped.GetValueOrDefault();
        return mapped is not null;
    }
}
