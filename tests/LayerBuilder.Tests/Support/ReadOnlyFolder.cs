using System.Diagnostics;

namespace LayerBuilder.Tests.Support;

/// <summary>
/// Makes a folder really read-only for the duration of a test, also for root, whom permission bits do
/// not stop: the immutable attribute (<c>chattr +i</c>) as root, mode 0555 otherwise. A folder that
/// cannot be made read-only fails the test instead of skipping it.
/// </summary>
public sealed class ReadOnlyFolder : IDisposable
{
    private readonly string path;
    private readonly bool immutable;

    public ReadOnlyFolder(string path)
    {
        this.path = path;
        immutable = IsRoot();
        if (immutable)
        {
            Chattr("+i");
        }
        else
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        var probe = System.IO.Path.Combine(path, ".probe");
        try
        {
            File.WriteAllText(probe, "");
            File.Delete(probe);
            Assert.Fail($"{path} is still writable; the test cannot make a read-only folder here");
        }
        catch (UnauthorizedAccessException)
        {
            // read-only, as wanted
        }
        catch (IOException)
        {
            // read-only, as wanted
        }
    }

    public void Dispose()
    {
        if (immutable)
        {
            Chattr("-i");
        }
        else
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static bool IsRoot() => File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");

    private void Chattr(string flag)
    {
        using var process = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)) || process.ExitCode != 0)
        {
            Assert.Fail($"chattr {flag} {path} failed: {error}");
        }
    }
}
