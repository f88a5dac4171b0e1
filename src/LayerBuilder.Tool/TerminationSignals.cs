using System.Runtime.InteropServices;

namespace LayerBuilder.Tool;

/// <summary>
/// Turns Ctrl+C (SIGINT), SIGTERM and SIGHUP into cancellation of the build, instead of the runtime's
/// default of ending the process at once: a build stopped that way never runs its <c>finally</c> blocks,
/// which remove the partial archive, the staging folder and the cache's temporary layer. The build sees
/// the token, cleans up, prints LB9002 and the process exits 128 + the signal's number.
/// </summary>
/// <remarks>
/// Only the first signal counts. Later ones (an impatient second Ctrl+C) are ignored while the build
/// cleans up, which takes milliseconds once it has stopped; stopping in the middle of that is what left
/// files behind. SIGQUIT (Ctrl+\) and SIGKILL still end the process at once.
/// </remarks>
internal sealed class TerminationSignals : IDisposable
{
    private static readonly PosixSignal[] Cancelling = [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP];

    private readonly CancellationTokenSource cancellation = new();
    private readonly List<PosixSignalRegistration> registrations = [];
    private int exitCode;

    private TerminationSignals()
    {
    }

    /// <summary>Cancelled by the first of the signals.</summary>
    public CancellationToken Token => cancellation.Token;

    /// <summary>Starts handling the signals; disposing hands them back to the runtime.</summary>
    public static TerminationSignals Register()
    {
        var signals = new TerminationSignals();
        foreach (var signal in Cancelling)
        {
            signals.registrations.Add(PosixSignalRegistration.Create(signal, signals.OnSignal));
        }

        return signals;
    }

    /// <summary>The exit code of the process: a build cancelled by a signal exits 128 + that signal's
    /// number; every other outcome keeps its own code (a build that finished before it saw the signal
    /// succeeded).</summary>
    public int ExitCodeFor(int buildExitCode)
    {
        var signalled = Volatile.Read(ref exitCode);
        return buildExitCode == ExitCodes.Cancelled && signalled != 0 ? signalled : buildExitCode;
    }

    public void Dispose()
    {
        foreach (var registration in registrations)
        {
            registration.Dispose();
        }

        cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Handled here, every time: the runtime's default would end the process before the cleanup.
        context.Cancel = true;
        if (Interlocked.CompareExchange(ref exitCode, ExitCodes.ForSignal(context.Signal), 0) == 0)
        {
            // Off the signal thread: the token's callbacks run wherever Cancel is called.
            _ = Task.Run(cancellation.Cancel);
        }
    }
}
