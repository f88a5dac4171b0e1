using System.Diagnostics;

namespace LayerBuilder.Tests.Support;

/// <summary>
/// Makes a folder really read-only for the duration of a test, also for root, whom permission bits do
/// not stop: as root the immutable attribute (<c>chattr +i</c>), or where the file system has none
/// (overlayfs) a read-only bind mount of the folder onto itself; mode 0555 for anyone else. A folder that
/// cannot be made read-only fails the test instead of skipping it.
/// </summary>
public sealed class ReadOnlyFolder : IDisposable
{
    private readonly string path;
    private readonly Undo undo;

    public ReadOnlyFolder(string path)
    {
        this.path = path;
        if (!IsRoot())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            undo = Undo.Mode;
        }
        else if (Try("chattr", "+i", path) is not { } chattrError)
        {
            undo = Undo.Attribute;
        }
        else if (Try("mount", "--bind", path, path) is not { } bindError)
        {
            undo = Undo.Mount;
            if (Try("mount", "-o", "remount,bind,ro", path) is { } remountError)
            {
                Dispose();
                Assert.Fail($"cannot make {path} read-only: chattr: {chattrError}; mount: {remountError}");
            }
        }
        else
        {
            Assert.Fail($"cannot make {path} read-only: chattr: {chattrError}; mount: {bindError}");
        }

        var probe = System.IO.Path.Combine(path, ".probe");
        try
        {
            File.WriteAllText(probe, "");
            File.Delete(probe);
            Assert.Fail($"{path} is still writable; the test cannot make a read-only folder here");
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // read-only, as wanted
        }
    }

    private enum Undo
    {
        Mode,
        Attribute,
        Mount,
    }

    public void Dispose()
    {
        switch (undo)
        {
            case Undo.Attribute:
                Try("chattr", "-i", path);
                break;
            case Undo.Mount:
                Try("umount", path);
                break;
            default:
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                break;
        }
    }

    private static bool IsRoot() => File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");

    /// <summary>Runs a command; returns its error output when it fails, null when it succeeds.</summary>
    private static string? Try(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        return process.WaitForExit(TimeSpan.FromSeconds(30)) && process.ExitCode == 0 ? null : $"exit {process.ExitCode}: {error.Trim()}";
    }
}
