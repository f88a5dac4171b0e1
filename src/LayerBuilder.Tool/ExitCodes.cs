namespace LayerBuilder.Tool;

/// <summary>The documented exit codes of <c>dotnet layerbuild</c> (README "Exit codes").</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The recipe or its inputs are wrong; diagnostics were printed.</summary>
    public const int InvalidInput = 1;

    /// <summary>The command line itself is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The archive could not be written (disk full, permissions).</summary>
    public const int OutputFailed = 3;

    /// <summary>A bug: an unexpected failure inside LayerBuilder.</summary>
    public const int Internal = 70;

    /// <summary>Stopped by Ctrl+C or SIGTERM; nothing was left at the output path.</summary>
    public const int Cancelled = 130;
}
