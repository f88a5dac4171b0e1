using System.Diagnostics;

namespace LayerBuilder.Tests.Support;

/// <summary>
/// Runs the shipped CLI (<c>dotnet dotnet-layerbuild.dll</c>, copied next to the tests) as a separate
/// process, through <c>/bin/sh</c> so each run gets its own umask, with an environment the test chooses.
/// With LAYERBUILDER_TOOL_EXE set, the CLI tests run that executable instead: CI points it at the
/// native (Native AOT) build that the linux tool packages carry.
/// </summary>
public static class LayerBuilderCli
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    public static string ToolDll => Path.Combine(AppContext.BaseDirectory, "dotnet-layerbuild.dll");

    /// <summary>A native build of the tool to run instead of the dll, when the environment names one.</summary>
    public static string? NativeTool => Environment.GetEnvironmentVariable("LAYERBUILDER_TOOL_EXE") is { Length: > 0 } path ? path : null;

    /// <summary>What goes before the tool's own arguments: the native executable, or the dotnet host and the dll.</summary>
    public static IReadOnlyList<string> Command => NativeTool is { } native ? [native] : [DotnetHost, ToolDll];

    /// <summary>The dotnet host running these tests (the one <c>dotnet test</c> names), else the one on PATH.</summary>
    public static string DotnetHost
    {
        get
        {
            var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
            {
                return fromSdk;
            }

            var self = Environment.ProcessPath;
            return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        }
    }

    /// <param name="arguments">Arguments after the tool, e.g. the recipe and <c>-o</c>.</param>
    /// <param name="workingDirectory">The child's current folder.</param>
    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    /// <param name="umask">The octal umask the child runs under.</param>
    /// <param name="timeout">How long the build may take before the child is stopped.</param>
    /// <param name="fileSizeLimit">Bytes no file the child writes may exceed (RLIMIT_FSIZE, SIGXFSZ ignored):
    /// a write past it fails as a full disk does.</param>
    public static CliRun Run(
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null,
        string umask = "022",
        TimeSpan? timeout = null,
        long? fileSizeLimit = null)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // exec keeps the pid: the process the test sees is the dotnet process itself.
        start.ArgumentList.Add("-c");
        const int PosixBlock = 512; // the unit of sh's ulimit -f
        var limit = fileSizeLimit is { } bytes ? $"trap '' XFSZ; ulimit -f {bytes / PosixBlock}; " : "";
        start.ArgumentList.Add($"{limit}umask {umask}; exec \"$0\" \"$@\"");
        foreach (var part in Command)
        {
            start.ArgumentList.Add(part);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A build must not depend on the caller's SOURCE_DATE_EPOCH unless a test sets it.
        start.Environment.Remove("SOURCE_DATE_EPOCH");

        // Hermetic: the test's own cache and temp folders, never the user's (a test may set its own).
        foreach (var (name, value) in CliIsolation.Environment())
        {
            start.Environment[name] = value;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        var pid = process.Id;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? DefaultTimeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"dotnet-layerbuild did not finish within {timeout ?? DefaultTimeout}:\n{stdout.Result}\n{stderr.Result}");
        }

        process.WaitForExit();
        return new CliRun(process.ExitCode, stdout.Result, stderr.Result, pid);
    }

    /// <summary>
    /// Runs the CLI with its standard output sent by the shell straight into <paramref name="standardOutputFile"/>
    /// (for <c>-o -</c>: the file then holds exactly the bytes the tool wrote), with a timeout.
    /// </summary>
    public static CliRun RunToFile(IEnumerable<string> arguments, string workingDirectory, string standardOutputFile, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("umask 022; exec \"$0\" \"$@\" >\"$LAYERBUILDER_TEST_STDOUT\"");
        foreach (var part in Command.Concat(arguments))
        {
            start.ArgumentList.Add(part);
        }

        start.Environment.Remove("SOURCE_DATE_EPOCH");
        foreach (var (name, value) in CliIsolation.Environment())
        {
            start.Environment[name] = value;
        }

        start.Environment["LAYERBUILDER_TEST_STDOUT"] = standardOutputFile;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? DefaultTimeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"dotnet-layerbuild did not finish within {timeout ?? DefaultTimeout}:\n{stderr.Result}");
        }

        process.WaitForExit();
        return new CliRun(process.ExitCode, "", stderr.Result, process.Id);
    }
}
