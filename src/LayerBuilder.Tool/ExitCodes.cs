using System.Runtime.InteropServices;

namespace LayerBuilder.Tool;

/// <summary>The documented exit codes of <c>dotnet layerbuild</c> (README "Exit codes").</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The recipe or its inputs are wrong; diagnostics were printed.</summary>
    public const int InvalidInput = 1;

    /// <summary>The command line itself is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The archive could not be written (disk full, permissions, a reader that closed the pipe).</summary>
    public const int OutputFailed = 3;

    /// <summary>A bug: an unexpected failure inside LayerBuilder.</summary>
    public const int Internal = 70;

    /// <summary>Stopped by Ctrl+C (SIGINT); nothing was left at the output path. A build stopped by another
    /// signal exits <see cref="ForSignal"/> of that signal instead, by the shells' 128 + number convention.</summary>
    public const int Cancelled = SignalBase + SigInt;

    private const int SignalBase = 128;
    private const int SigHup = 1;
    private const int SigInt = 2;
    private const int SigTerm = 15;

    /// <summary>128 + the signal's number: 129 for SIGHUP, 130 for SIGINT, 143 for SIGTERM.</summary>
    public static int ForSignal(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => SignalBase + SigHup,
        PosixSignal.SIGINT => SignalBase + SigInt,
        PosixSignal.SIGTERM => SignalBase + SigTerm,
        _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "not a signal that cancels a build"),
    };
}
