namespace LayerBuilder.EngineTests.Support;

/// <summary>The effective user of this test process, read from /proc (no native interop needed).</summary>
public static class HostUser
{
    public static int EffectiveUid => Field("Uid:");

    public static int EffectiveGid => Field("Gid:");

    // "Uid:\treal\teffective\tsaved\tfilesystem" (proc(5)).
    private static int Field(string name)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(name, StringComparison.Ordinal));
        return int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
    }
}
