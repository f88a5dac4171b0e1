using System.Diagnostics;

namespace LayerBuilder.Tests.Support;

/// <summary>Host hard links for fixtures (.NET has no API for them; <c>ln</c> is on every Linux host).</summary>
public static class HostLinks
{
    public static void CreateHardLink(string existingFile, string newName)
    {
        using var ln = Process.Start(new ProcessStartInfo("ln", [existingFile, newName]) { UseShellExecute = false })!;
        ln.WaitForExit();
        if (ln.ExitCode != 0)
        {
            throw new IOException($"ln {existingFile} {newName} failed with exit code {ln.ExitCode}");
        }
    }
}
