using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.Tests.Support;

/// <summary>
/// A pidfd (pidfd_open(2)) of a child process: signals sent through it reach that process or no one.
/// A signal sent by pid after the child ended and was reaped could reach an unrelated process that was
/// given the pid again; through the pidfd it fails with ESRCH instead, which <see cref="TrySignal"/> reports.
/// </summary>
internal sealed partial class ProcessHandle : IDisposable
{
    // The same numbers on x86-64 and arm64: both syscalls came after the tables were unified (Linux 5.1, 5.3).
    private const long PidfdSendSignal = 424;
    private const long PidfdOpen = 434;
    private const int NoSuchProcess = 3; // ESRCH

    private readonly SafeFileHandle handle;

    private ProcessHandle(SafeFileHandle handle) => this.handle = handle;

    /// <summary>Opens a pidfd of <paramref name="pid"/>; call it while the child cannot have been reaped yet.</summary>
    public static ProcessHandle Open(int pid)
    {
        var fd = Syscall(PidfdOpen, pid, 0, 0, 0);
        if (fd < 0)
        {
            throw new InvalidOperationException($"pidfd_open({pid}): errno {Marshal.GetLastPInvokeError()}");
        }

        return new ProcessHandle(new SafeFileHandle(checked((IntPtr)fd), ownsHandle: true));
    }

    /// <summary>Sends signal <paramref name="number"/>; false when the process has already ended.</summary>
    public bool TrySignal(int number)
    {
        if (Syscall(PidfdSendSignal, handle.DangerousGetHandle().ToInt64(), number, 0, 0) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == NoSuchProcess
            ? false
            : throw new InvalidOperationException($"pidfd_send_signal({number}): errno {errno}");
    }

    public void Dispose() => handle.Dispose();

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long first, long second, long third, long fourth);
}
