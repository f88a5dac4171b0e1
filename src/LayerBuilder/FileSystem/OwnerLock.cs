using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.FileSystem;

/// <summary>
/// Says whether a temporary file still has a live owner: the build that creates one holds a flock(2)
/// on it for as long as the file exists, and the kernel drops that lock when the process ends, however
/// it ends (SIGKILL, a crash; a power loss drops every lock). A later build that can take the lock knows
/// the owner is gone. Explicit calls, so the runtime's own optional share locks are not relied on.
/// </summary>
internal static partial class OwnerLock
{
    private const int Shared = 1; // LOCK_SH
    private const int Exclusive = 2; // LOCK_EX
    private const int NonBlocking = 4; // LOCK_NB
    private const int WouldBlock = 11; // EWOULDBLOCK: another open file holds a conflicting lock
    private const int ReadOnly = 0; // O_RDONLY
    private const int NoFollow = 0x20000; // O_NOFOLLOW
    private const int CloseOnExec = 0x80000; // O_CLOEXEC
    private const int NonBlockingOpen = 0x800; // O_NONBLOCK: never wait on a FIFO planted under a temporary's name

    /// <summary>Marks the open file as owned by this process: a shared lock, which other readers of it in
    /// this process do not disturb. Best effort: a file system without flock keeps its files.</summary>
    public static void Hold(SafeFileHandle handle) => _ = TryHold(handle);

    /// <summary>
    /// As <see cref="Hold"/>, and says whether the file is still this owner's: false when a concurrent sweep
    /// took the file between its creation and this lock (it holds the exclusive lock while it removes, or
    /// has removed it already: then <paramref name="path"/> is gone). The caller then makes a new one.
    /// </summary>
    public static bool TryHold(SafeFileHandle handle, string? path = null)
    {
        if (OperatingSystem.IsWindows() || handle.IsInvalid)
        {
            return true;
        }

        if (Native.Flock(handle, Shared | NonBlocking) != 0)
        {
            return Marshal.GetLastPInvokeError() != WouldBlock; // no flock on this file system: nobody sweeps it either
        }

        // Held now, so no sweep can take it from here on; one that came first has removed the path.
        return path is null || File.Exists(path);
    }

    /// <summary>
    /// True when <paramref name="e"/> is how the runtime's own open says a concurrent sweep held the file
    /// the open had just created: on Unix the runtime takes a flock(2) of its own as it opens a file
    /// (FileShare emulation), and a sweep holding the exclusive lock makes that fail with EWOULDBLOCK.
    /// The file is the sweep's to remove; the caller makes another.
    /// </summary>
    public static bool IsSweptWhileCreated(Exception e) => e is IOException { HResult: WouldBlock } && !OperatingSystem.IsWindows();

    /// <summary>True when nobody holds a lock on <paramref name="path"/> (its owner is gone); then
    /// <paramref name="remove"/> runs while this process holds the lock, so no new owner can take it.
    /// False when a live owner holds it, or when that cannot be told.</summary>
    public static bool RemoveIfAbandoned(string path, Action remove)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        var fd = Native.Open(path, ReadOnly | NoFollow | CloseOnExec | NonBlockingOpen);
        if (fd < 0)
        {
            return false;
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Native.Flock(handle, Exclusive | NonBlocking) != 0)
        {
            return false;
        }

        remove();
        return true;
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
        public static partial int Flock(SafeFileHandle fd, int operation);

        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Open(string path, int flags);
    }
}
