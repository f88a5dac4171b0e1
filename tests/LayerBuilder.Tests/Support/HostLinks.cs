using LayerBuilder.Testing;

namespace LayerBuilder.Tests.Support;

/// <summary>Host hard links for fixtures (.NET has no API for them; <c>ln</c> is on every Linux host).</summary>
public static class HostLinks
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static void CreateHardLink(string existingFile, string newName)
    {
        var ln = ProcessRunner.RunAsync("ln", [existingFile, newName], Timeout).GetAwaiter().GetResult();
        if (ln.ExitCode != 0)
        {
            throw new IOException(ln.Describe());
        }
    }
}
