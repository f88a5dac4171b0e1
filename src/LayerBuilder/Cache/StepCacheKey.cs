using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;

namespace LayerBuilder.Cache;

/// <summary>
/// The cache key of a layer: sha256 over the layers below it (their chain id) and the normalized entry
/// list, with each input's identity: host files by path, size, inode, mtime and ctime in nanoseconds
/// (ctime changes on any write, even one that restores the mtime), inline bytes by their hash, lower
/// content by its place in a lower layer. A layer whose content is staged per build (extract) has no key.
/// </summary>
public static class StepCacheKey
{
    private const string Version = "layerbuild-cache-v1";

    /// <summary>The key of a planned layer; null when some content has no stable identity.</summary>
    /// <param name="lower">The identity of everything below: the key or diff id of the layer under this one.</param>
    /// <param name="entries">The layer's entries, in order.</param>
    /// <param name="stagingFolder">Content under this folder is per-build and makes the layer uncacheable.</param>
    public static Digest? Compute(Digest? lower, IReadOnlyList<LayerEntry> entries, string stagingFolder)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, Version, lower?.ToString() ?? "none");
        foreach (var entry in entries)
        {
            var content = ContentIdentity(entry.Content, stagingFolder);
            if (content is null)
            {
                return null;
            }

            var xattrs = entry.Xattrs is null
                ? ""
                : string.Join(",", entry.Xattrs.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => x.Key + "=" + Convert.ToHexString(x.Value)));
            Append(hash, entry.Kind.ToString(), entry.TarName, I(entry.Mode), I(entry.Owner.Uid), I(entry.Owner.Gid), I(entry.ModifiedTime),
                entry.LinkTarget ?? "", I(entry.DeviceMajor), I(entry.DeviceMinor), xattrs, content);
        }

        return Digest.FromHashBytes(hash.GetHashAndReset());
    }

    /// <summary>A whole input file (a rootfs tar) by identity.</summary>
    public static Digest ForFile(string kind, string path, long created)
    {
        var info = HostFileInfo.Stat(path);
        return Digest.Of($"{Version}\n{kind}\n{Path.GetFullPath(path)}\n{info.Size}\n{info.Device}\n{info.Inode}\n{info.ModifiedNanoseconds}\n{info.ChangedNanoseconds}\n{created}");
    }

    private static string? ContentIdentity(ContentSource? content, string stagingFolder) => content switch
    {
        null => "-",
        HostFileContent host when host.HostPath.StartsWith(stagingFolder, StringComparison.Ordinal) => null,
        HostFileContent host => HostIdentity(host),
        InlineContent inline => "inline:" + Digest.Of(inline.Bytes.Span).Hex,
        LayerSliceContent slice => $"slice:{I(slice.Offset)}:{I(slice.Length)}",
        TarMemberContent member => $"member:{member.MemberName}:{I(member.Length)}",
        _ => null,
    };

    private static string HostIdentity(HostFileContent host)
    {
        var info = host.Info ?? HostFileInfo.Stat(host.HostPath);
        return $"host:{host.HostPath}:{I(host.Length)}:{info.Device}:{info.Inode}:{I(info.ModifiedNanoseconds)}:{I(info.ChangedNanoseconds)}";
    }

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Append(IncrementalHash hash, params string[] fields)
    {
        foreach (var field in fields)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(field));
            hash.AppendData([0]);
        }

        hash.AppendData([(byte)'\n']);
    }
}
