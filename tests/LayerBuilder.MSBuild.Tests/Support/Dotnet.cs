using System.Diagnostics;

namespace LayerBuilder.MSBuild.Tests.Support;

/// <summary>
/// The dotnet CLI as a user runs it, from a clean environment: the variables that <c>dotnet test</c>
/// sets for its own MSBuild would otherwise steer the child's build.
/// </summary>
public static class Dotnet
{
    public static string Executable =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : ProcessRunner.Find("dotnet") ?? "dotnet";

    /// <summary>Arguments every build gets: console logger text (not the live terminal view), normal
    /// verbosity so skipped targets show, and no build servers or nodes left running after the test.</summary>
    public static readonly string[] BuildArguments =
        ["-tl:off", "-v:n", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false"];

    public static ProcessStartInfo StartInfo(string workingDirectory, IEnumerable<string> arguments) =>
        ProcessRunner.Prepare(Executable, arguments, workingDirectory, CleanEnvironment());

    /// <summary>As <see cref="StartInfo"/>, with SIGINT's default disposition, for a test that sends it: a
    /// test run started as a background job of a script inherits SIGINT ignored, and a process that starts
    /// with a signal ignored rightly keeps it so. <c>env</c> execs dotnet, so the process id is dotnet's.</summary>
    public static ProcessStartInfo InterruptibleStartInfo(string workingDirectory, IEnumerable<string> arguments) =>
        ProcessRunner.Prepare("env", ["--default-signal=INT", Executable, .. arguments], workingDirectory, CleanEnvironment());

    /// <summary>The changes to this process's environment that make a child build as a user's shell would.</summary>
    public static Dictionary<string, string?> CleanEnvironment()
    {
        var environment = new Dictionary<string, string?>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["MSBUILDDISABLENODEREUSE"] = "1",

            // The task's layer cache is the run's own, never the user's.
            ["XDG_CACHE_HOME"] = Path.Combine(TestRun.Root, "layer-cache"),
        };
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if ((name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) && name != "MSBUILDDISABLENODEREUSE") ||
                name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) ||
                name.Equals("SOURCE_DATE_EPOCH", StringComparison.Ordinal))
            {
                environment[name] = null;
            }
        }

        return environment;
    }

    public static Task<ProcessResult> RunAsync(string workingDirectory, params string[] arguments) =>
        ProcessRunner.RunAsync(StartInfo(workingDirectory, arguments), TimeSpan.FromMinutes(10));
}
