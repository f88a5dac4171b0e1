using System.Diagnostics;
using System.Text;

namespace LayerBuilder.EngineTests.Support;

/// <summary>What a finished engine command printed and returned.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>A failure message that carries everything needed to debug without re-running.</summary>
    public string Describe() =>
        $"`{CommandLine}` exited with {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}

/// <summary>
/// Runs engine command-line tools with an argument list (no shell, so no quoting surprises) and a
/// timeout; a command that hangs is killed together with the processes it started.
/// </summary>
public static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Engines print progress bars and colours only for terminals; keep their output plain and English.
        start.Environment["LC_ALL"] = "C";
        start.Environment["NO_COLOR"] = "1";

        var commandLine = string.Join(' ', new[] { fileName }.Concat(start.ArgumentList.Select(Quote)));
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new ProcessResult(commandLine, -1, "", $"could not start: {e.Message}");
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new ProcessResult(commandLine, -1, await stdout, $"timed out after {timeout ?? DefaultTimeout}\n{await stderr}");
        }

        return new ProcessResult(commandLine, process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs and asserts success, so a failing engine command shows its whole output.</summary>
    public static async Task<ProcessResult> RunCheckedAsync(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var result = await RunAsync(fileName, arguments, timeout);
        Assert.That(result.ExitCode, Is.Zero, result.Describe);
        return result;
    }

    /// <summary>Finds an executable on PATH, as a shell would.</summary>
    public static string? FindOnPath(string name)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate) && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
            {
                return candidate;
            }
        }

        return null;
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@,+%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
