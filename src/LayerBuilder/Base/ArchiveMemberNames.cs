using LayerBuilder.FileSystem;

namespace LayerBuilder.Base;

/// <summary>
/// The names of a save-format archive's members as a tar reader meets them: regular members carry a
/// value (where the bytes are), symbolic and hard links name another member (Docker ≤ 24 links repeated
/// layers), and a name given twice means the later entry (as in any tar). Links are followed by name,
/// never created anywhere, and a chain of them stops after a few hops.
/// </summary>
/// <typeparam name="T">What locates a regular member's bytes.</typeparam>
internal sealed class ArchiveMemberNames<T>
    where T : notnull
{
    /// <summary>More hops than any real archive needs (Docker links a layer once); a loop ends here.</summary>
    private const int MaxHops = 16;

    private readonly Dictionary<string, (T? Value, string? Target)> names = new(StringComparer.Ordinal);

    /// <summary>The normalized name of a tar entry (<c>./a//b</c> is <c>a/b</c>); false when it climbs above
    /// the archive's root. The root itself is the empty name.</summary>
    public static bool TryKey(string entryName, out string key)
    {
        var ok = ImagePath.TryNormalize("/" + entryName, out var path);
        key = ok ? path.TarName : "";
        return ok;
    }

    public void AddFile(string key, T value) => names[key] = (value, null);

    /// <summary>A symbolic link: a relative target is relative to the link's folder; one that climbs out is ignored.</summary>
    public void AddSymlink(string key, string linkName)
    {
        var parent = ImagePath.TryNormalize("/" + key, out var self) ? self.Parent.Value : "/";
        var target = linkName.StartsWith('/') ? linkName : parent + "/" + linkName;
        if (ImagePath.TryNormalize(target, out var resolved))
        {
            names[key] = (default, resolved.TarName);
        }
    }

    /// <summary>A hard link names its target from the archive's root.</summary>
    public void AddHardLink(string key, string linkName)
    {
        if (ImagePath.TryNormalize("/" + linkName, out var target))
        {
            names[key] = (default, target.TarName);
        }
    }

    /// <summary>The value of the regular member <paramref name="name"/> names, following links.</summary>
    public bool TryLocate(string name, out T value)
    {
        value = default!;
        if (!TryKey(name, out var key))
        {
            return false;
        }

        for (var hops = 0; hops < MaxHops && names.TryGetValue(key, out var found); hops++)
        {
            if (found.Target is null)
            {
                value = found.Value!;
                return true;
            }

            key = found.Target;
        }

        return false;
    }
}
