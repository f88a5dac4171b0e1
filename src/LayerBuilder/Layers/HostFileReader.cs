using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using LayerBuilder.FileSystem;
using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.Layers;

/// <summary>
/// An open host file, read by offset. On Linux it is a bare descriptor from open(2): the BCL's file
/// handles add an fstat and two flock calls to every open (its FileShare emulation), which for a layer
/// of 100,000 small files is more than half of all the system calls. Elsewhere it is a BCL handle.
/// </summary>
internal readonly partial struct HostFileReader : IDisposable
{
    private const int ReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC
    private const int Interrupted = 4; // EINTR

    private readonly int descriptor;
    private readonly SafeFileHandle? handle;
    /// <summary>Names the file in errors: its path, or for a file opened by name in an open folder the
    /// folder's (the layer writer's message names the file itself).</summary>
    private readonly string path;

    private HostFileReader(int descriptor, SafeFileHandle? handle, string path)
    {
        this.descriptor = descriptor;
        this.handle = handle;
        this.path = path;
    }

    /// <summary>Opens <paramref name="path"/> for reading; failures are the BCL's exception types.</summary>
    public static HostFileReader Open(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new HostFileReader(-1, File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan), path);
        }

        int fd;
        do
        {
            fd = Native.Open(path, ReadOnlyCloseOnExec, 0);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == Interrupted);

        if (fd < 0)
        {
            throw Failure(path, Marshal.GetLastPInvokeError());
        }

        return new HostFileReader(fd, null, path);
    }

    /// <summary>
    /// Opens member <paramref name="name"/> of the open <paramref name="folder"/>, whose path is
    /// <paramref name="folderPath"/>: the kernel looks up one name instead of every folder of a full path
    /// (a million-file layer: docs/performance.md). By full path when the folder is not open.
    /// </summary>
    /// <remarks>The name's stack buffer is not zeroed first: it is written up to its NUL (D77).</remarks>
    [SkipLocalsInit]
    public static unsafe HostFileReader OpenIn(HostFolder folder, string folderPath, ReadOnlySpan<char> name)
    {
        const int MaxOnStack = 1024; // names are at most 255 bytes on Linux file systems
        if (folder.Descriptor < 0 || Encoding.UTF8.GetMaxByteCount(name.Length) + 1 > MaxOnStack)
        {
            return Open(Path.Join(folderPath.AsSpan(), name));
        }

        Span<byte> utf8 = stackalloc byte[MaxOnStack];
        var length = Encoding.UTF8.GetBytes(name, utf8);
        utf8[length] = 0;
        int fd;
        fixed (byte* path = utf8)
        {
            do
            {
                fd = Native.OpenAt(folder.Descriptor, path, ReadOnlyCloseOnExec, 0);
            }
            while (fd < 0 && Marshal.GetLastPInvokeError() == Interrupted);
        }

        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw Failure(Path.Join(folderPath.AsSpan(), name), errno);
        }

        return new HostFileReader(fd, null, folderPath);
    }

    /// <summary>Reads into <paramref name="buffer"/> from <paramref name="offset"/>; 0 at the end.</summary>
    public int Read(Span<byte> buffer, long offset)
    {
        if (handle is not null)
        {
            return RandomAccess.Read(handle, buffer, offset);
        }

        nint read;
        do
        {
            read = Native.PRead(descriptor, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length, offset);
        }
        while (read < 0 && Marshal.GetLastPInvokeError() == Interrupted);

        if (read < 0)
        {
            throw new IOException($"read failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        return (int)read;
    }

    /// <summary>
    /// Whether the open file's modification or change time differs from <paramref name="seen"/>, the stat
    /// the plan made: a rewrite in place (same size, so no length check sees it) since then, or while the
    /// file was read. One statx on the open descriptor, no path lookup. False where times are unknown.
    /// </summary>
    public bool ChangedSince(HostFileInfo seen) => ChangedSince(seen.ModifiedNanoseconds, seen.ChangedNanoseconds);

    /// <summary>As above, from the times the plan's stat saw.</summary>
    public bool ChangedSince(long seenModified, long seenChanged)
    {
        if (descriptor < 0 || (seenModified == 0 && seenChanged == 0))
        {
            return false;
        }

        var (modified, changed) = LinuxStatx.TimesOf(descriptor, path);
        return modified != seenModified || changed != seenChanged;
    }

    public void Dispose()
    {
        if (handle is not null)
        {
            handle.Dispose();
        }
        else if (descriptor >= 0)
        {
            _ = Native.Close(descriptor); // a read-only descriptor has nothing to flush; close cannot lose data
        }
    }

    private static Exception Failure(string path, int errno) => errno switch
    {
        2 or 20 => new FileNotFoundException($"'{path}' does not exist", path), // ENOENT, ENOTDIR
        13 or 1 => new UnauthorizedAccessException($"access to '{path}' is denied"), // EACCES, EPERM
        _ => new IOException($"cannot open '{path}': {Marshal.GetPInvokeErrorMessage(errno)}"),
    };

    private static partial class Native
    {
        // open(2) is variadic in C; with O_CREAT absent the mode argument is never read.
        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Open(string path, int flags, int mode);

        [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
        internal static unsafe partial int OpenAt(int folder, byte* path, int flags, int mode);

        [LibraryImport("libc", EntryPoint = "pread64", SetLastError = true)]
        internal static partial nint PRead(int fd, ref byte buffer, nuint count, long offset);

        [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
        internal static partial int Close(int fd);
    }
}
