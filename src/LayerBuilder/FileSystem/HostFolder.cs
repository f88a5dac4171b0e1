using System.Runtime.InteropServices;

namespace LayerBuilder.FileSystem;

/// <summary>
/// A host folder whose members are stat'ed by name. On Linux the folder is opened once and each
/// member is looked up relative to it, so the kernel does not walk the folder's whole path again for
/// every file; elsewhere, or when the folder cannot be opened, members are stat'ed by full path.
/// </summary>
internal readonly partial struct HostFolder : IDisposable
{
    // O_PATH | O_CLOEXEC: a handle for *at() calls only; it opens nothing (a FIFO swapped in cannot block
    // it) and, unlike O_DIRECTORY, has the same value on every architecture .NET runs on.
    private const int PathOnlyCloseOnExec = 0x200000 | 0x80000;
    private const int Interrupted = 4; // EINTR

    private readonly int descriptor;

    private HostFolder(int descriptor) => this.descriptor = descriptor;

    public static HostFolder Open(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new HostFolder(-1);
        }

        int fd;
        do
        {
            fd = Native.Open(path, PathOnlyCloseOnExec, 0);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == Interrupted);

        return new HostFolder(fd); // on failure (-1) every member is stat'ed by full path, with that path's errors
    }

    /// <summary>The open folder's descriptor for *at() calls; -1 when it could not be opened, or off Linux.</summary>
    public int Descriptor => descriptor;

    /// <summary>Stats the member <paramref name="name"/> of this folder, whose path is <paramref name="folderPath"/>,
    /// into a packed value; the member's full path is made only for an error, or where the folder is not open.</summary>
    public HostStat StatMember(ReadOnlySpan<char> name, string folderPath) =>
        descriptor >= 0 ? LinuxStatx.StatMember(descriptor, name, folderPath) : new HostStat(HostFileInfo.Stat(Path.Join(folderPath.AsSpan(), name)));

    public void Dispose()
    {
        if (descriptor >= 0)
        {
            _ = Native.Close(descriptor); // a path-only descriptor has nothing to flush; close cannot lose data
        }
    }

    private static partial class Native
    {
        // open(2) is variadic in C; with O_CREAT absent the mode argument is never read.
        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Open(string path, int flags, int mode);

        [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
        internal static partial int Close(int fd);
    }
}
