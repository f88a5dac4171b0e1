namespace LayerBuilder.FileSystem;

/// <summary>
/// What LayerBuilder needs to know about a host file without following symlinks: type, permission
/// bits, owner, size, link count and identity (device, inode) for hard-link detection. Linux uses
/// statx(2) (<see cref="LinuxStatx"/>); elsewhere the BCL's view is used.
/// </summary>
internal sealed record HostFileInfo(EntryKind Kind, int Mode, int Uid, int Gid, long Size, uint LinkCount, ulong Device, ulong Inode, int DeviceMajor, int DeviceMinor, bool IsSocket)
{
    /// <summary>Last modification, nanoseconds since 1970 (0 where unknown).</summary>
    public long ModifiedNanoseconds { get; init; }

    /// <summary>Last status change (any write, chmod, rename), nanoseconds since 1970 (0 where unknown).</summary>
    public long ChangedNanoseconds { get; init; }

    public static HostFileInfo Stat(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            return LinuxStatx.Stat(LinuxStatx.CurrentFolder, path, path);
        }

        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return new HostFileInfo(EntryKind.Symlink, 0x1FF, 0, 0, 0, 1, 0, 0, 0, 0, false);
        }

        var mode = OperatingSystem.IsWindows() ? (Directory.Exists(path) ? 0x1ED : 0x1A4) : (int)File.GetUnixFileMode(path);
        return Directory.Exists(path)
            ? new HostFileInfo(EntryKind.Directory, mode, 0, 0, 0, 1, 0, 0, 0, 0, false)
            : new HostFileInfo(EntryKind.File, mode, 0, 0, info.Length, 1, 0, 0, 0, 0, false);
    }
}
