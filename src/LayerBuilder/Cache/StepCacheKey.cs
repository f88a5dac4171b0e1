using LayerBuilder.Base;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Cache;

/// <summary>
/// The cache key of a layer: sha256 over the layers below it (their chain id) and the normalized entry
/// list, with each input's identity: host files by path, size, inode, mtime and ctime in nanoseconds
/// (ctime changes on any write, even one that restores the mtime), inline bytes as they are, lower
/// content by its place in a lower layer. A layer whose content is staged per build (extract) has no key.
/// </summary>
internal static class StepCacheKey
{
    /// <summary>Names the byte layout of a layer key; a new layout gets a new name, so it never matches an old key.</summary>
    private const string Version = "layerbuild-cache-v3";

    /// <summary>The layout of a whole-file key (<see cref="ForFile"/>), unchanged since v1.</summary>
    private const string FileVersion = "layerbuild-cache-v1";

    // What kind of content an entry has; each is followed by that content's identity.
    private const long NoContent = 0;
    private const long HostContent = 1;
    private const long InlineBytes = 2;
    private const long LowerSlice = 3;
    private const long ArchiveMember = 4;

    /// <summary>The key of a planned layer; null when some content has no stable identity.</summary>
    /// <param name="lower">The identity of everything below: the key or diff id of the layer under this one.</param>
    /// <param name="entries">The layer's entries, in order.</param>
    public static Digest? Compute(Digest? lower, IReadOnlyList<LayerEntry> entries)
    {
        using var fields = new FieldHasher();
        fields.Add(Version);
        fields.Add(lower?.ToString() ?? "none");
        fields.Add(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];

            // The path and kind decide the tar name (folders end in '/', whiteouts are renamed).
            fields.Add(entry.Kind.ToString());
            fields.Add(entry.Path.Value);
            fields.Add(entry.Mode);
            fields.Add(entry.Owner.Uid);
            fields.Add(entry.Owner.Gid);
            fields.Add(entry.ModifiedTime);
            fields.Add(entry.ModifiedFraction);
            fields.Add(entry.LinkTarget ?? "");
            fields.Add(entry.DeviceMajor);
            fields.Add(entry.DeviceMinor);
            AddXattrs(fields, entry.Xattrs);
            if (!AddContent(fields, entry.Content))
            {
                return null;
            }
        }

        return Digest.FromHashBytes(fields.Finish());
    }

    /// <summary>A whole input file (a rootfs tar) by identity.</summary>
    public static Digest ForFile(string kind, string path, long created)
    {
        var info = HostFileInfo.Stat(path);
        return Digest.Of($"{FileVersion}\n{kind}\n{Path.GetFullPath(path)}\n{info.Size}\n{info.Device}\n{info.Inode}\n{info.ModifiedNanoseconds}\n{info.ChangedNanoseconds}\n{created}");
    }

    /// <summary>Extended attributes in ordinal order of their names; none and an empty set are the same.</summary>
    private static void AddXattrs(FieldHasher fields, IReadOnlyDictionary<string, byte[]>? xattrs)
    {
        fields.Add(xattrs?.Count ?? 0);
        if (xattrs is null || xattrs.Count == 0)
        {
            return;
        }

        foreach (var (name, value) in xattrs.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            fields.Add(name);
            fields.Add(value.AsSpan());
        }
    }

    /// <summary>Adds the content's identity; false when it has none that outlives this build.</summary>
    private static bool AddContent(FieldHasher fields, ContentSource? content)
    {
        switch (content)
        {
            case null:
                fields.Add(NoContent);
                return true;
            case HostFileContent { PerBuild: true }:
                return false;
            case HostFileContent host:
                // ctime changes on any write, even one that restores the mtime.
                var info = host.Info ?? HostFileInfo.Stat(host.HostPath);
                fields.Add(HostContent);
                fields.Add(host.HostPath);
                fields.Add(host.Length);
                fields.Add(info.Device);
                fields.Add(info.Inode);
                fields.Add(info.ModifiedNanoseconds);
                fields.Add(info.ChangedNanoseconds);
                return true;
            case InlineContent inline:
                fields.Add(InlineBytes);
                fields.Add(inline.Bytes.Span); // small by nature: the bytes themselves, not a hash of them
                return true;
            case LayerSliceContent slice:
                fields.Add(LowerSlice);
                fields.Add(slice.Offset);
                fields.Add(slice.Length);
                return true;
            case TarMemberContent member:
                fields.Add(ArchiveMember);
                fields.Add(member.MemberName);
                fields.Add(member.Length);
                return true;
            default:
                return false;
        }
    }
}
