using System.Runtime.InteropServices;

namespace LayerBuilder.FileSystem;

/// <summary>
/// What LayerBuilder needs to know about a host file without following symlinks: type, permission
/// bits, owner, size, link count and identity (device, inode) for hard-link detection. Linux uses
/// statx(2), whose struct layout is the same on every architecture; elsewhere the BCL's view is used.
/// </summary>
public sealed partial record HostFileInfo(EntryKind Kind, int Mode, int Uid, int Gid, long Size, uint LinkCount, ulong Device, ulong Inode, int DeviceMajor, int DeviceMinor, bool IsSocket)
{
    /// <summary>Last modification, nanoseconds since 1970 (0 where unknown).</summary>
    public long ModifiedNanoseconds { get; init; }

    /// <summary>Last status change (any write, chmod, rename), nanoseconds since 1970 (0 where unknown).</summary>
    public long ChangedNanoseconds { get; init; }

    public static HostFileInfo Stat(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            return LinuxStat(path);
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

    private static HostFileInfo LinuxStat(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        int rc;
        unsafe
        {
            fixed (byte* p = buffer)
            {
                rc = Native.Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, p);
            }
        }

        if (rc != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno == 2
                ? new FileNotFoundException($"'{path}' does not exist", path)
                : new IOException($"cannot stat '{path}': {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        // struct statx offsets (include/uapi/linux/stat.h).
        var nlink = MemoryMarshal.Read<uint>(buffer[16..]);
        var uid = MemoryMarshal.Read<int>(buffer[20..]);
        var gid = MemoryMarshal.Read<int>(buffer[24..]);
        var mode = MemoryMarshal.Read<ushort>(buffer[28..]);
        var ino = MemoryMarshal.Read<ulong>(buffer[32..]);
        var size = MemoryMarshal.Read<long>(buffer[40..]);
        var rdevMajor = MemoryMarshal.Read<int>(buffer[128..]);
        var rdevMinor = MemoryMarshal.Read<int>(buffer[132..]);
        var devMajor = MemoryMarshal.Read<uint>(buffer[136..]);
        var devMinor = MemoryMarshal.Read<uint>(buffer[140..]);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => EntryKind.File,
            0x4000 => EntryKind.Directory,
            0xA000 => EntryKind.Symlink,
            0x2000 => EntryKind.CharDevice,
            0x6000 => EntryKind.BlockDevice,
            0x1000 => EntryKind.Fifo,
            _ => EntryKind.File,
        };
        var isSocket = (mode & 0xF000) == 0xC000;
        return new HostFileInfo(kind, mode & Permissions.Mask, uid, gid, kind == EntryKind.File ? size : 0, nlink,
            ((ulong)devMajor << 32) | devMinor, ino, rdevMajor, rdevMinor, isSocket)
        {
            ChangedNanoseconds = Nanoseconds(buffer[96..]),
            ModifiedNanoseconds = Nanoseconds(buffer[112..]),
        };
    }

    /// <summary>A struct statx_timestamp: signed seconds, then unsigned nanoseconds.</summary>
    private static long Nanoseconds(ReadOnlySpan<byte> timestamp) =>
        (MemoryMarshal.Read<long>(timestamp) * 1_000_000_000) + MemoryMarshal.Read<uint>(timestamp[8..]);

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7FF;

    private static unsafe partial class Native
    {
        [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);
    }
}
