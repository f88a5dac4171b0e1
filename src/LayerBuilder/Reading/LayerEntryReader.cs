using System.Formats.Tar;
using LayerBuilder.Base;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.TarInput;

namespace LayerBuilder.Reading;

/// <summary>
/// Reads a layer's entries one by one in one streaming pass, through the same hardened tar reader every
/// input of a build goes through (header checksums, limits, damage; docs/security.md). The content of
/// the current entry can be read until <see cref="NextAsync"/> is called again.
/// </summary>
public sealed class LayerEntryReader : IAsyncDisposable, IDisposable
{
    private const string XattrPrefix = "SCHILY.xattr.";

    private readonly TarInputReader reader;
    private TarEntry? current;

    internal LayerEntryReader(TarInputReader reader)
    {
        this.reader = reader;
    }

    /// <summary>The next entry, or null after the last one (then the whole layer has been read and checked).</summary>
    /// <exception cref="LayerBuildException">The layer is damaged or hostile (LB2023, LB2022, LB2012, LB2014).</exception>
    public async ValueTask<LayerEntryInfo?> NextAsync(CancellationToken cancellationToken = default)
    {
        current = await reader.NextAsync(cancellationToken).ConfigureAwait(false);
        return current is null ? null : Describe(current);
    }

    /// <summary>The current entry's content (empty for anything but a regular file), valid until the next
    /// <see cref="NextAsync"/>. Disposing it leaves the reader open.</summary>
    public Stream OpenContent() =>
        current is null
            ? throw new InvalidOperationException("there is no current entry; call NextAsync first")
            : new BorrowedStream(current.DataStream ?? Stream.Null);

    public void Dispose() => reader.Dispose();

    public ValueTask DisposeAsync() => reader.DisposeAsync();

    private LayerEntryInfo Describe(TarEntry entry)
    {
        var name = reader.NameOf(entry);
        if (!ArchiveMemberNames<string>.TryKey(name, out var path))
        {
            throw reader.Source.Error(DiagnosticCodes.UnsafeArchiveEntry, $"has an entry '{TarInputFailures.Printable(name)}' that climbs above its root");
        }

        var posix = entry as PosixTarEntry;
        var kind = KindOf(entry, path);
        return new LayerEntryInfo
        {
            Path = path.Length == 0 ? "." : path,
            Kind = kind,
            Mode = entry.Mode,
            Uid = entry.Uid,
            Gid = entry.Gid,
            UserName = posix?.UserName ?? "",
            GroupName = posix?.GroupName ?? "",
            Size = kind == LayerEntryKind.File || entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile ? entry.Length : 0,
            ModificationTime = entry.ModificationTime,
            LinkTarget = kind is LayerEntryKind.Symlink or LayerEntryKind.HardLink ? reader.LinkNameOf(entry) : null,
            DeviceMajor = kind is LayerEntryKind.CharacterDevice or LayerEntryKind.BlockDevice ? posix?.DeviceMajor ?? 0 : 0,
            DeviceMinor = kind is LayerEntryKind.CharacterDevice or LayerEntryKind.BlockDevice ? posix?.DeviceMinor ?? 0 : 0,
            Xattrs = entry is PaxTarEntry pax ? Xattrs(pax) : new Dictionary<string, string>(),
            XattrBytes = reader.XattrsOfLast() ?? new SortedDictionary<string, byte[]>(StringComparer.Ordinal),
        };
    }

    private LayerEntryKind KindOf(TarEntry entry, string path)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        if (name == WhiteoutNames.Opaque)
        {
            return LayerEntryKind.OpaqueWhiteout;
        }

        if (WhiteoutNames.IsWhiteout(name))
        {
            return LayerEntryKind.Whiteout;
        }

        return entry.EntryType switch
        {
            TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => LayerEntryKind.File,
            TarEntryType.Directory or TarEntryType.DirectoryList => LayerEntryKind.Directory,
            TarEntryType.SymbolicLink => LayerEntryKind.Symlink,
            TarEntryType.HardLink => LayerEntryKind.HardLink,
            TarEntryType.CharacterDevice => LayerEntryKind.CharacterDevice,
            TarEntryType.BlockDevice => LayerEntryKind.BlockDevice,
            TarEntryType.Fifo => LayerEntryKind.Fifo,
            _ => throw reader.Source.Error(DiagnosticCodes.UnsupportedEntry,
                $"entry '{TarInputFailures.Printable(entry.Name)}' has tar type '{(char)entry.EntryType}', which no layer holds"),
        };
    }

    private static Dictionary<string, string> Xattrs(PaxTarEntry entry) =>
        entry.ExtendedAttributes
            .Where(a => a.Key.StartsWith(XattrPrefix, StringComparison.Ordinal))
            .ToDictionary(a => a.Key[XattrPrefix.Length..], a => a.Value, StringComparer.Ordinal);
}
