using System.Formats.Tar;
using System.Text;

namespace LayerBuilder.Tests.Support;

/// <summary>
/// Builds base rootfs tars for step tests with System.Formats.Tar, entry by entry and with exactly the
/// names given (so "./" prefixes and root entries can be tested), each with its own metadata.
/// </summary>
public sealed class RootfsTar
{
    public static readonly DateTimeOffset DefaultTime = DateTimeOffset.FromUnixTimeSeconds(1_000_000_000);

    private readonly List<UstarTarEntry> entries = [];

    public RootfsTar Folder(string name, int mode = 0x1ED, int uid = 0, int gid = 0, DateTimeOffset? modified = null) =>
        Add(new UstarTarEntry(TarEntryType.Directory, name), mode, uid, gid, modified);

    public RootfsTar File(string name, string content, int mode = 0x1A4, int uid = 0, int gid = 0, DateTimeOffset? modified = null)
    {
        var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
        };
        return Add(entry, mode, uid, gid, modified);
    }

    public RootfsTar Symlink(string name, string target) =>
        Add(new UstarTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target }, 0x1FF, 0, 0, null);

    public RootfsTar Hardlink(string name, string target) =>
        Add(new UstarTarEntry(TarEntryType.HardLink, name) { LinkName = target }, 0x1A4, 0, 0, null);

    public string WriteTo(string path)
    {
        using var file = System.IO.File.Create(path);
        using var writer = new TarWriter(file, TarEntryFormat.Ustar, leaveOpen: false);
        foreach (var entry in entries)
        {
            entry.DataStream?.Seek(0, SeekOrigin.Begin);
            writer.WriteEntry(entry);
        }

        return path;
    }

    private RootfsTar Add(UstarTarEntry entry, int mode, int uid, int gid, DateTimeOffset? modified)
    {
        entry.Mode = (UnixFileMode)mode;
        entry.Uid = uid;
        entry.Gid = gid;
        entry.ModificationTime = modified ?? DefaultTime;
        entries.Add(entry);
        return this;
    }
}
