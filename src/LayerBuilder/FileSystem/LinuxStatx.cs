using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace LayerBuilder.FileSystem;

/// <summary>
/// statx(2) without following symlinks, either by full path or by name relative to an open folder.
/// The struct statx layout is the same on every architecture.
/// </summary>
internal static unsafe partial class LinuxStatx
{
    /// <summary>The dirfd that makes statx resolve a path against the working folder (or ignore it, for absolute paths).</summary>
    public const int CurrentFolder = -100; // AT_FDCWD

    private const int SymlinkNoFollow = 0x100; // AT_SYMLINK_NOFOLLOW
    private const int EmptyPath = 0x1000; // AT_EMPTY_PATH: stat the descriptor itself
    private const uint BasicStats = 0x7FF; // STATX_BASIC_STATS
    private const uint Times = 0x40 | 0x80; // STATX_MTIME | STATX_CTIME

    /// <summary>Stats <paramref name="path"/> relative to <paramref name="folder"/>; <paramref name="fullPath"/> names the file in errors.</summary>
    public static HostFileInfo Stat(int folder, string path, string fullPath)
    {
        var buffer = stackalloc byte[256];
        if (Native.Statx(folder, path, SymlinkNoFollow, BasicStats, buffer) != 0)
        {
            throw Failure(fullPath, Marshal.GetLastPInvokeError());
        }

        return Decode(new ReadOnlySpan<byte>(buffer, 256));
    }

    /// <summary>Stats the member <paramref name="name"/> of the open <paramref name="folder"/>, whose path is
    /// <paramref name="folderPath"/>, into a packed value: no record and no path string per member of a
    /// walked folder (the path is made only for an error; D77). Its stack buffers are not zeroed first:
    /// the name is written up to its NUL and the kernel fills the whole struct statx (zeroing them was
    /// about 1 % of a million-file build).</summary>
    [SkipLocalsInit]
    public static HostStat StatMember(int folder, ReadOnlySpan<char> name, string folderPath)
    {
        const int MaxOnStack = 1024; // names are at most 255 bytes on Linux file systems
        if (Encoding.UTF8.GetMaxByteCount(name.Length) + 1 > MaxOnStack)
        {
            var fullPath = Path.Join(folderPath.AsSpan(), name);
            return new HostStat(Stat(folder, name.ToString(), fullPath));
        }

        Span<byte> utf8 = stackalloc byte[MaxOnStack];
        var length = Encoding.UTF8.GetBytes(name, utf8);
        utf8[length] = 0;
        var buffer = stackalloc byte[256];
        int rc;
        fixed (byte* path = utf8)
        {
            rc = Native.Statx(folder, path, SymlinkNoFollow, BasicStats, buffer);
        }

        if (rc != 0)
        {
            throw Failure(Path.Join(folderPath.AsSpan(), name), Marshal.GetLastPInvokeError());
        }

        return DecodeStat(new ReadOnlySpan<byte>(buffer, 256));
    }

    /// <summary>Stats the file behind an open handle (statx with AT_EMPTY_PATH): the file itself,
    /// whatever its name now leads to.</summary>
    public static HostFileInfo Stat(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string fullPath)
    {
        var buffer = stackalloc byte[256];
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (Native.Statx((int)handle.DangerousGetHandle(), "", EmptyPath, BasicStats, buffer) != 0)
            {
                throw Failure(fullPath, Marshal.GetLastPInvokeError());
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        return Decode(new ReadOnlySpan<byte>(buffer, 256));
    }

    /// <summary>The modification and change times of the open file <paramref name="descriptor"/>, in the
    /// nanoseconds <see cref="HostFileInfo"/> uses; <paramref name="fullPath"/> names it in errors.</summary>
    [SkipLocalsInit]
    public static (long Modified, long Changed) TimesOf(int descriptor, string fullPath)
    {
        var buffer = stackalloc byte[256];
        byte empty = 0;
        if (Native.Statx(descriptor, &empty, EmptyPath, Times, buffer) != 0)
        {
            throw Failure(fullPath, Marshal.GetLastPInvokeError());
        }

        var stats = new ReadOnlySpan<byte>(buffer, 256);
        return (Nanoseconds(stats[112..]), Nanoseconds(stats[96..]));
    }

    private static Exception Failure(string fullPath, int errno) => errno == 2
        ? new FileNotFoundException($"'{fullPath}' does not exist", fullPath)
        : new IOException($"cannot stat '{fullPath}': {Marshal.GetPInvokeErrorMessage(errno)}");

    /// <summary>Reads a struct statx into the record.</summary>
    private static HostFileInfo Decode(ReadOnlySpan<byte> buffer) => DecodeStat(buffer).ToInfo();

    /// <summary>Reads a struct statx (offsets from include/uapi/linux/stat.h).</summary>
    private static HostStat DecodeStat(ReadOnlySpan<byte> buffer)
    {
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
        return new HostStat(kind, mode & Permissions.Mask, uid, gid, kind == EntryKind.File ? size : 0, nlink,
            ((ulong)devMajor << 32) | devMinor, ino, rdevMajor, rdevMinor, isSocket,
            modifiedNanoseconds: Nanoseconds(buffer[112..]), changedNanoseconds: Nanoseconds(buffer[96..]));
    }

    /// <summary>A struct statx_timestamp: signed seconds, then unsigned nanoseconds.</summary>
    private static long Nanoseconds(ReadOnlySpan<byte> timestamp) =>
        (MemoryMarshal.Read<long>(timestamp) * 1_000_000_000) + MemoryMarshal.Read<uint>(timestamp[8..]);

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

        [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
        public static partial int Statx(int dirfd, byte* path, int flags, uint mask, byte* buffer);
    }
}
