using System.Diagnostics;

namespace LayerBuilder.Tests.Support;

/// <summary>Named pipes for fixtures (.NET has no API for one; <c>mkfifo</c> is on every Linux host).</summary>
public static class HostFifo
{
    public static string Create(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        if (mkfifo.ExitCode != 0)
        {
            throw new IOException($"mkfifo {path} failed with exit code {mkfifo.ExitCode}");
        }

        return path;
    }
}
