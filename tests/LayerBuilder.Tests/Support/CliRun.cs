namespace LayerBuilder.Tests.Support;

/// <summary>The outcome of one <c>dotnet-layerbuild</c> child process.</summary>
public sealed record CliRun(int ExitCode, string StdOut, string StdErr, int ProcessId)
{
    /// <summary>Everything the process printed, for assertion messages.</summary>
    public string Transcript => $"exit code {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}
