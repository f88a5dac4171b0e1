using System.Diagnostics;

namespace LayerBuilder.Tests.Support;

/// <summary>
/// A running <c>dotnet-layerbuild</c> child process (the dll, or the native tool that
/// LAYERBUILDER_TOOL_EXE names) that a test can signal, read from and wait for, each wait bounded.
/// It starts through <c>/bin/sh -c '... exec env ... tool "$@" REDIRECTION'</c>, so the pid is the tool's own and
/// a test can point the tool's standard output at a file or device the shell opens.
/// </summary>
public sealed class CliProcess : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private readonly Process process;
    private readonly ProcessHandle handle;
    private readonly Task<string> stderr;
    private readonly Task<string>? stdout;

    private CliProcess(Process process, bool readsStdout)
    {
        this.process = process;
        handle = ProcessHandle.Open(process.Id);
        stderr = process.StandardError.ReadToEndAsync();
        stdout = readsStdout ? process.StandardOutput.ReadToEndAsync() : null;
    }

    public int Id => process.Id;

    /// <summary>The tool's standard output as a pipe the test reads (and may close early); see
    /// <see cref="Start"/>'s <c>readStdout</c>.</summary>
    public Stream StandardOutput => process.StandardOutput.BaseStream;

    /// <param name="arguments">Arguments after the tool.</param>
    /// <param name="workingDirectory">The child's current folder.</param>
    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    /// <param name="stdoutRedirection">A shell redirection for the tool's standard output (e.g. <c>&gt;/dev/full</c>),
    /// or null to give it a pipe.</param>
    /// <param name="readStdout">True: the test reads the pipe itself through <see cref="StandardOutput"/>;
    /// false: it is collected and returned by <see cref="WaitForExit"/>.</param>
    public static CliProcess Start(
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? stdoutRedirection = null,
        bool readStdout = false)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        // The tool gets the default disposition of the signals the tests send: a test run started under
        // nohup, or as a background job of a script, inherits SIGHUP or SIGINT ignored, and a process that
        // starts with a signal ignored rightly keeps it so (that is what nohup is for).
        start.ArgumentList.Add($"umask 022; exec env --default-signal=HUP,INT,TERM \"$0\" \"$@\" {stdoutRedirection}");
        foreach (var part in LayerBuilderCli.Command.Concat(arguments))
        {
            start.ArgumentList.Add(part);
        }

        start.Environment.Remove("SOURCE_DATE_EPOCH");
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

        return new CliProcess(Process.Start(start)!, readsStdout: !readStdout);
    }

    /// <summary>Sends a signal by name (INT, TERM, HUP), as a user or a service manager would; fails the test
    /// if the process has already ended.</summary>
    public void Signal(string name)
    {
        if (!TrySignal(name))
        {
            Assert.Fail($"SIG{name} could not be sent: the process {Id} had already ended");
        }
    }

    /// <summary>Sends a signal by name; false when the process has already ended (never another process
    /// that was given its pid again: <see cref="ProcessHandle"/>).</summary>
    public bool TrySignal(string name) => handle.TrySignal(SignalNumbers[name]);

    /// <summary>
    /// Waits until the kernel has handed signal <paramref name="name"/> to the process (it is no longer
    /// pending in <c>/proc/PID/status</c>) or the process has ended, so its handler ran before any signal
    /// sent next: the kernel hands over several pending signals lowest number first, so an INT sent while a
    /// TERM still waited (the process not yet scheduled on a busy machine) would come first.
    /// </summary>
    public void WaitUntilDeliveredOrEnded(string name)
    {
        var bit = 1UL << (SignalNumbers[name] - 1);
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && Pending(bit))
        {
            if (clock.Elapsed > DeliveryTimeout)
            {
                Assert.Fail($"SIG{name} was not delivered within {DeliveryTimeout}");
            }

            Thread.Sleep(Poll);
        }
    }

    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Whether the signal of <paramref name="bit"/> is pending; false once the process is gone
    /// (its /proc folder goes when it is reaped, which may come before <see cref="Process.HasExited"/> says so).</summary>
    private bool Pending(ulong bit)
    {
        try
        {
            return File.ReadLines($"/proc/{Id}/status")
                .Where(l => l.StartsWith("SigPnd:", StringComparison.Ordinal) || l.StartsWith("ShdPnd:", StringComparison.Ordinal))
                .Any(l => (Convert.ToUInt64(l[(l.IndexOf(':') + 1)..].Trim(), 16) & bit) != 0);
        }
        catch (IOException) // DirectoryNotFoundException: reaped
        {
            return false;
        }
    }

    private static readonly Dictionary<string, int> SignalNumbers = new(StringComparer.Ordinal) { ["HUP"] = 1, ["INT"] = 2, ["TERM"] = 15 };

    /// <summary>Polls until <paramref name="condition"/> holds; fails if the process ends or the time runs out first.</summary>
    public void WaitUntil(Func<bool> condition, string what, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (process.HasExited)
            {
                var run = WaitForExit(TimeSpan.FromSeconds(10));
                Assert.Fail($"the build ended before {what}:\n{run.Transcript}");
            }

            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"{what} did not happen within {timeout}");
            }

            Thread.Sleep(Poll);
        }
    }

    /// <summary>Waits for the tool to exit; kills it and fails the test if it takes longer than <paramref name="timeout"/>.</summary>
    public CliRun WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"dotnet-layerbuild did not exit within {timeout}:\n{Collected(stderr)}");
        }

        process.WaitForExit();
        return new CliRun(process.ExitCode, stdout is null ? "" : Collected(stdout), Collected(stderr), process.Id);
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(30));
        }

        process.Dispose();
        handle.Dispose();
    }

    private static string Collected(Task<string> text) => text.Wait(TimeSpan.FromSeconds(10)) ? text.Result : "(the output did not close)";
}
