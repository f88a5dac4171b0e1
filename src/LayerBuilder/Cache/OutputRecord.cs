using System.Text.Json;
using System.Text.Json.Nodes;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Text;

namespace LayerBuilder.Cache;

/// <summary>
/// Remembers which archive LayerBuilder last wrote at an output path (its identity and the file's
/// size, inode and times), so an unchanged rebuild leaves it untouched instead of rewriting it. A file
/// touched by anyone else since no longer matches and is rewritten. The file's identity is taken from the
/// handle of the file that was renamed into place, never by looking at the path again: a rival build may
/// have renamed its own archive there in between.
/// </summary>
internal static class OutputRecord
{
    public static bool IsUnchanged(LayerCache cache, string output, Digest archive)
    {
        var record = RecordPath(cache, output);
        if (!File.Exists(record) || !File.Exists(output))
        {
            return false;
        }

        try
        {
            var node = JsonNode.Parse(File.ReadAllBytes(record));
            return node?["archive"]?.GetValue<string>() == archive.ToString() && node["file"]?.GetValue<string>() == Identity(HostFileInfo.Stat(output));
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Records that <paramref name="written"/>, the file renamed to <paramref name="output"/>, holds <paramref name="archive"/>.</summary>
    public static void Remember(LayerCache cache, string output, Digest archive, HostFileInfo written)
    {
        var record = RecordPath(cache, output);
        Directory.CreateDirectory(Path.GetDirectoryName(record)!);
        AtomicFile.WriteAllBytes(record, CanonicalJson.ToBytes(new JsonObject { ["archive"] = archive.ToString(), ["file"] = Identity(written) }));
    }

    private static string RecordPath(LayerCache cache, string output) =>
        Path.Combine(cache.Root, "outputs", Digest.Of(Path.GetFullPath(output)).Hex + ".json");

    private static string Identity(HostFileInfo info) =>
        $"{info.Size}:{info.Device}:{info.Inode}:{info.ModifiedNanoseconds}:{info.ChangedNanoseconds}";
}
