using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Base;

/// <summary>
/// A host folder as a root filesystem (e.g. made by debootstrap): every entry keeps its permission
/// bits (setuid included), owner, link target and device numbers; mtimes become the recipe's
/// <c>created</c> so the layer reproduces; sockets are skipped, as tar does.
/// </summary>
internal sealed class RootfsFolderSource(string folder, SourcePosition position, long createdSeconds)
{
    public IEnumerable<LayerEntry> Entries()
    {
        List<HostItem> items;
        try
        {
            items = HostTree.Walk(folder, [], []);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LayerBuildException(DiagnosticCodes.RootfsUnreadable, position, $"cannot read base rootfs folder '{folder}': {e.Message}");
        }

        var inodes = new Dictionary<(ulong, ulong), ImagePath>();
        foreach (var item in items)
        {
            var info = item.Info;
            if (info.IsSocket)
            {
                continue;
            }

            var path = ImagePath.Root.Combine(item.RelativePath);
            var entry = new LayerEntry
            {
                Path = path,
                Kind = info.Kind,
                Mode = info.Kind == EntryKind.Symlink ? 0x1FF : info.Mode,
                Owner = new Owner(info.Uid, info.Gid),
                ModifiedTime = createdSeconds,
                DeviceMajor = info.DeviceMajor,
                DeviceMinor = info.DeviceMinor,
            };

            if (info.Kind == EntryKind.Symlink)
            {
                entry = entry with { LinkTarget = new FileInfo(item.HostPath).LinkTarget ?? "" };
            }
            else if (info.Kind == EntryKind.File)
            {
                if (info.LinkCount > 1 && inodes.TryGetValue((info.Device, info.Inode), out var first))
                {
                    entry = entry with { Kind = EntryKind.Hardlink, LinkTarget = first.Value };
                }
                else
                {
                    inodes.TryAdd((info.Device, info.Inode), path);
                    entry = entry with { Content = new HostFileContent(item.HostPath, info.Size) { Info = info } };
                }
            }

            yield return entry;
        }
    }
}
