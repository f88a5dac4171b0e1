namespace LayerBuilder.Testing;

/// <summary>What a finished command printed and returned.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Both streams, for assertions that do not care which one a tool used.</summary>
    public string Output => StandardOutput + StandardError;

    /// <summary>A failure message that carries everything needed to debug without re-running.</summary>
    public string Describe() =>
        $"`{CommandLine}` exited with {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}
