namespace LayerBuilder.FileSystem;

/// <summary>
/// Small files replaced whole (the cache's key and output records): written under a unique temporary name
/// in the same folder and renamed over the target, so a reader sees the old file or the new one, never
/// half of one, and two writers never share a temporary.
/// </summary>
internal static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
