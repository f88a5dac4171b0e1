using System.Formats.Tar;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Recipe;
using LayerBuilder.TarInput;

namespace LayerBuilder.Planning;

/// <summary>
/// Plans an <c>extract</c> item: every entry of the tar re-rooted under dest with its own mode, owner,
/// time and link target. Entries that are absolute or climb with '..', hard links outside the archive
/// and relative symlinks that would leave dest are refused by name. File content is streamed once into
/// the staging folder, because the layer is written in sorted order, not the tar's.
/// </summary>
internal sealed class ExtractPlanner(StepPlanner step, ExtractSpec extract)
{
    private readonly HashSet<string> files = new(StringComparer.Ordinal);

    public void Plan()
    {
        var source = extract.Source.Value;
        if (!File.Exists(source))
        {
            step.Diagnostics.Error(DiagnosticCodes.SourceNotFound, extract.Source.Position,
                $"extract src '{source}' does not exist; paths are relative to the recipe's folder");
            return;
        }

        if (step.Resolve(extract.Destination.Value, extract.Destination.Position, followLast: true) is not { } dest)
        {
            return;
        }

        var folder = Directory.CreateDirectory(Path.Combine(step.Staging, "extract-" + Guid.NewGuid().ToString("N"))).FullName;
        using var reader = TarInputReader.Open(TarInputSource.Extract(source, extract.Source.Position));
        var count = 0;
        var origin = step.Store.AddSource(new PlanSource($"extract of '{extract.Source.Value}'", extract.Position) { EntriesUnder = dest });
        while (reader.Next() is { } tar)
        {
            if (Convert(tar, reader, dest, folder, count++) is { } entry)
            {
                step.Add(entry, origin, isExplicit: false);
            }
        }
    }

    private LayerEntry? Convert(TarEntry tar, TarInputReader reader, ImagePath dest, string folder, int number)
    {
        if (tar.EntryType is TarEntryType.GlobalExtendedAttributes)
        {
            return null;
        }

        var name = reader.NameOf(tar);
        var linkName = reader.LinkNameOf(tar);
        if (name.StartsWith('/') || !ImagePath.TryNormalize("/" + name, out var relative))
        {
            return Refuse($"entry '{name}' is absolute or climbs out of the archive with '..'");
        }

        if (relative.IsRoot)
        {
            return null; // "./" itself: dest's metadata is the image's, not the archive's
        }

        if (WhiteoutNames.FirstIn(relative) is { } marker)
        {
            // In a layer this name deletes lower files instead of being one: a vendor tarball could silently
            // remove /etc or /bin/sh. Deleting is what 'remove' is for.
            step.Diagnostics.Error(DiagnosticCodes.WhiteoutEntry, extract.Source.Position,
                $"extract src '{extract.Source.Value}': entry '{TarInputFailures.Printable(name)}' is named like a whiteout ('{marker}'); in a layer it would delete files instead of being one. Rename or remove it, and delete lower-layer paths with 'remove'");
            return null;
        }

        var path = dest.IsRoot ? relative : dest.Combine(relative.Value[1..]);
        var entry = new LayerEntry
        {
            Path = path,
            Kind = EntryKind.File,
            Mode = (int)tar.Mode & Permissions.Mask,
            Owner = new Owner(tar.Uid, tar.Gid),
            ModifiedTime = EntryTime.Split(tar.ModificationTime).Seconds,
            ModifiedFraction = EntryTime.Split(tar.ModificationTime).Fraction,
            Xattrs = Base.RootfsTarSource.LinuxXattrs(reader.XattrsOfLast()),
        };

        switch (tar.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                var staged = Path.Combine(folder, number.ToString(System.Globalization.CultureInfo.InvariantCulture));
                using (var output = new FileStream(staged, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    tar.DataStream?.CopyTo(output, 1 << 20);
                }

                files.Add(path.Value);
                return entry with { Content = new HostFileContent(staged, tar.Length) { PerBuild = true } };
            case TarEntryType.Directory:
                return entry with { Kind = EntryKind.Directory };
            case TarEntryType.SymbolicLink:
                var linkBase = linkName.StartsWith('/') ? null : path.Parent.Value + "/" + linkName;
                if (linkBase is not null && (!ImagePath.TryNormalize(linkBase, out var resolved) || !resolved.IsSameOrUnder(dest)))
                {
                    return Refuse($"symlink '{name}' -> '{linkName}' points outside {dest}");
                }

                return entry with { Kind = EntryKind.Symlink, LinkTarget = linkName };
            case TarEntryType.HardLink:
                if (linkName.StartsWith('/') || !ImagePath.TryNormalize("/" + linkName, out var target))
                {
                    return Refuse($"hard link '{name}' -> '{linkName}' points outside the archive");
                }

                var linked = dest.IsRoot ? target : dest.Combine(target.Value[1..]);
                if (!files.Contains(linked.Value))
                {
                    return Refuse($"hard link '{name}' -> '{linkName}' names no file earlier in the archive");
                }

                files.Add(path.Value);
                return entry with { Kind = EntryKind.Hardlink, LinkTarget = linked.Value };
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice when tar is PosixTarEntry device:
                return entry with
                {
                    Kind = tar.EntryType == TarEntryType.CharacterDevice ? EntryKind.CharDevice : EntryKind.BlockDevice,
                    DeviceMajor = device.DeviceMajor,
                    DeviceMinor = device.DeviceMinor,
                };
            case TarEntryType.Fifo:
                return entry with { Kind = EntryKind.Fifo };
            default:
                return Refuse($"entry '{name}' has tar type {tar.EntryType}, which loaders cannot extract");
        }
    }

    private LayerEntry? Refuse(string why)
    {
        step.Diagnostics.Error(DiagnosticCodes.UnsafeArchiveEntry, extract.Source.Position, $"extract src '{extract.Source.Value}': {why}");
        return null;
    }
}
