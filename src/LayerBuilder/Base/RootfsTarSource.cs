using System.Formats.Tar;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Layers;
using LayerBuilder.TarInput;

namespace LayerBuilder.Base;

/// <summary>
/// Streams a root filesystem tar (plain, gzip, bzip2 or zstd) as normalized layer entries: <c>./</c>
/// prefixes and the root entry dropped, missing parent folders made explicit, every entry's own
/// metadata kept. The tar's own order is kept, so the layer is produced in one pass; the same input
/// file always gives the same layer.
/// </summary>
internal sealed class RootfsTarSource(string path, SourcePosition position, long createdSeconds, Action<Diagnostic> warn)
{
    public IEnumerable<LayerEntry> Entries()
    {
        using var reader = TarInputReader.Open(TarInputSource.Rootfs(path, position));
        var seen = new Dictionary<string, EntryKind>(StringComparer.Ordinal);
        var warnedAbsolute = false;
        while (reader.Next() is { } tarEntry)
        {
            if (tarEntry.EntryType is TarEntryType.GlobalExtendedAttributes)
            {
                continue;
            }

            var name = reader.NameOf(tarEntry);
            if (!ImagePath.TryNormalize("/" + name, out var imagePath))
            {
                throw Error(DiagnosticCodes.UnsafeArchiveEntry, $"base rootfs entry '{name}' climbs above the root; the tar is unsafe");
            }

            if (name.StartsWith('/') && !warnedAbsolute)
            {
                warnedAbsolute = true;
                warn(new Diagnostic(DiagnosticCodes.UnsafeArchiveEntry, Severity.Warning, position,
                    $"base rootfs '{path}' has absolute names (the first is '{TarInputFailures.Printable(name)}'); they are read as relative to /"));
            }

            if (imagePath.IsRoot)
            {
                continue; // loaders skip or mis-apply a root entry; its metadata is the container's business
            }

            if (WhiteoutNames.FirstIn(imagePath) is { } marker)
            {
                throw Error(DiagnosticCodes.WhiteoutEntry,
                    $"base rootfs '{path}' entry '{TarInputFailures.Printable(name)}' is named like a whiteout ('{marker}'); in a layer it would delete files instead of being one. Rename or remove it");
            }

            foreach (var ancestor in imagePath.Ancestors())
            {
                if (!seen.TryGetValue(ancestor.Value, out var kind))
                {
                    seen[ancestor.Value] = EntryKind.Directory;
                    yield return new LayerEntry { Path = ancestor, Kind = EntryKind.Directory, Mode = Permissions.DefaultDirectory, ModifiedTime = createdSeconds };
                }
                else if (kind != EntryKind.Directory)
                {
                    throw Error(DiagnosticCodes.UnsupportedEntry, $"base rootfs entry '{name}' lies under {ancestor}, which the tar made a {LowerLayerIndex.Describe(kind)}");
                }
            }

            var entry = Convert(tarEntry, imagePath, reader);
            if (seen.TryGetValue(imagePath.Value, out var previous) && !(previous == EntryKind.Directory && entry.Kind == EntryKind.Directory))
            {
                throw Error(DiagnosticCodes.UnsupportedEntry, $"base rootfs has {imagePath} twice; a layer may hold each path once");
            }

            // An explicit lookup: File is EntryKind's default, so a missing target must not read as a file.
            if (entry.Kind == EntryKind.Hardlink && !(seen.TryGetValue(entry.LinkTarget!, out var targetKind) && targetKind == EntryKind.File))
            {
                throw Error(DiagnosticCodes.UnsupportedEntry, $"base rootfs entry '{name}' is a hard link to '{reader.LinkNameOf(tarEntry)}', which is not a file earlier in the tar");
            }

            seen[imagePath.Value] = entry.Kind == EntryKind.Hardlink ? EntryKind.File : entry.Kind;
            yield return entry;
        }
    }

    private LayerEntry Convert(TarEntry tar, ImagePath path, TarInputReader reader)
    {
        var linkName = reader.LinkNameOf(tar);
        if (!TarEntryKinds.TryMap(tar.EntryType, out var kind))
        {
            throw Error(DiagnosticCodes.UnsupportedEntry,
                $"base rootfs entry '{path.TarName}' has tar type {tar.EntryType}, which loaders cannot extract (sparse and multi-volume entries are refused)");
        }

        string? link = null;
        if (kind == EntryKind.Symlink)
        {
            link = linkName;
        }
        else if (kind == EntryKind.Hardlink)
        {
            if (!ImagePath.TryNormalize("/" + linkName, out var target))
            {
                throw Error(DiagnosticCodes.UnsafeArchiveEntry, $"base rootfs hard link '{path.TarName}' points at '{linkName}', outside the root");
            }

            link = target.Value;
        }

        return new LayerEntry
        {
            Path = path,
            Kind = kind,
            Mode = (int)tar.Mode & Permissions.Mask,
            Owner = new Owner(tar.Uid, tar.Gid),
            ModifiedTime = EntryTime.Split(tar.ModificationTime).Seconds,
            ModifiedFraction = EntryTime.Split(tar.ModificationTime).Fraction,
            LinkTarget = link,
            Content = kind == EntryKind.File ? new BorrowedContent(tar.DataStream ?? Stream.Null, tar.Length) : null,
            DeviceMajor = tar is PosixTarEntry p && kind is EntryKind.CharDevice or EntryKind.BlockDevice ? p.DeviceMajor : 0,
            DeviceMinor = tar is PosixTarEntry q && kind is EntryKind.CharDevice or EntryKind.BlockDevice ? q.DeviceMinor : 0,
            Xattrs = LinuxXattrs(reader.XattrsOfLast()),
        };
    }

    /// <summary>The entry's xattrs in the Linux namespaces, values byte for byte (binary ones such as
    /// <c>security.capability</c> too; docs/decisions.md D41). Others (<c>com.apple.*</c>) are left out:
    /// Docker 25+ fails to apply them.</summary>
    internal static SortedDictionary<string, byte[]>? LinuxXattrs(SortedDictionary<string, byte[]>? xattrs)
    {
        if (xattrs is null || xattrs.Keys.All(XattrNames.IsLinux))
        {
            return xattrs;
        }

        var kept = new SortedDictionary<string, byte[]>(xattrs.Where(x => XattrNames.IsLinux(x.Key)).ToDictionary(), StringComparer.Ordinal);
        return kept.Count == 0 ? null : kept;
    }

    private LayerBuildException Error(DiagnosticCode code, string message) => new(code, position, message);
}
