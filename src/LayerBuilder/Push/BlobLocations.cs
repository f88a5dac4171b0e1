using System.Text;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;

namespace LayerBuilder.Push;

/// <summary>
/// Which repositories of a registry a blob was pushed to before, remembered in the layer cache
/// (<c>registries/HOST/DIGEST</c>, one repository a line, newest first), so that a later push of the same
/// blob to another repository of that registry mounts it instead of sending it, as docker remembers where
/// its layers came from. A wrong memory costs nothing: the mount is refused and the blob uploaded.
/// </summary>
internal sealed class BlobLocations(string root)
{
    /// <summary>Repositories kept per blob: enough for a few images that share a base.</summary>
    private const int Kept = 4;

    /// <summary>The repositories of <paramref name="registry"/> known to hold <paramref name="digest"/>.</summary>
    public IReadOnlyList<string> Of(string registry, Digest digest)
    {
        try
        {
            var file = PathOf(registry, digest);
            return File.Exists(file) ? File.ReadAllLines(file).Where(l => l.Length > 0).ToList() : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Notes that <paramref name="repository"/> of <paramref name="registry"/> holds <paramref name="digest"/>. Best effort.</summary>
    public void Remember(string registry, Digest digest, string repository)
    {
        try
        {
            var known = Of(registry, digest);
            if (known.Count > 0 && known[0] == repository)
            {
                return;
            }

            var lines = new[] { repository }.Concat(known.Where(r => r != repository)).Take(Kept);
            var file = PathOf(registry, digest);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            AtomicFile.WriteAllBytes(file, Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a memory that cannot be written only costs a later push an upload
        }
    }

    /// <summary>The registry's host (<c>127.0.0.1:5000</c>) is a safe folder name once its colon is replaced.</summary>
    private string PathOf(string registry, Digest digest) =>
        Path.Combine(root, "registries", registry.Replace(':', '_'), digest.Hex);
}
