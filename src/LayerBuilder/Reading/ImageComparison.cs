using System.Text.Json;

namespace LayerBuilder.Reading;

/// <summary>
/// Compares two images as a container would see them: the config JSON value by value, and the final
/// filesystems (<see cref="ArchivedImage.ReadFileSystemAsync"/>) path by path: kind, content digest and
/// size, mode, owner, link target, extended attributes and device numbers. Layering does not count: two
/// images whose layers differ but stack to the same files and config are equal.
/// </summary>
public static class ImageComparison
{
    /// <summary>Reads both images' layers once each, streaming, and lists their differences.</summary>
    /// <exception cref="Diagnostics.LayerBuildException">A layer of either image is damaged or hostile.</exception>
    public static async Task<ImageDifference> CompareAsync(ArchivedImage left, ArchivedImage right, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var configChanges = CompareConfigs(left.RawConfig, right.RawConfig);
        var leftFiles = await left.ReadFileSystemAsync(cancellationToken).ConfigureAwait(false);
        var rightFiles = await right.ReadFileSystemAsync(cancellationToken).ConfigureAwait(false);
        return new ImageDifference(configChanges, ComparePaths(leftFiles, rightFiles));
    }

    /// <summary>The differing leaves of two configs' JSON.</summary>
    public static IReadOnlyList<ConfigChange> CompareConfigs(ReadOnlyMemory<byte> left, ReadOnlyMemory<byte> right)
    {
        var a = Leaves(left);
        var b = Leaves(right);
        return a.Keys.Union(b.Keys)
            .Order(StringComparer.Ordinal)
            .Select(field => new ConfigChange(field, a.GetValueOrDefault(field), b.GetValueOrDefault(field)))
            .Where(change => change.Left != change.Right)
            .ToList();
    }

    /// <summary>The differing paths of two final filesystems.</summary>
    public static IReadOnlyList<PathChange> ComparePaths(ImageFileSystem left, ImageFileSystem right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var changes = new List<PathChange>();
        foreach (var path in left.Entries.Select(e => e.Path).Union(right.Entries.Select(e => e.Path)).Order(StringComparer.Ordinal))
        {
            var a = left.Find(path);
            var b = right.Find(path);
            if (a is null)
            {
                changes.Add(new PathChange(path, PathChangeKind.Added, PathAspects.None, null, b));
            }
            else if (b is null)
            {
                changes.Add(new PathChange(path, PathChangeKind.Removed, PathAspects.None, a, null));
            }
            else if (Differences(a, b) is var aspects and not PathAspects.None)
            {
                changes.Add(new PathChange(path, PathChangeKind.Changed, aspects, a, b));
            }
        }

        return changes;
    }

    private static PathAspects Differences(FileSystemEntry a, FileSystemEntry b)
    {
        var aspects = PathAspects.None;
        if (a.Kind != b.Kind)
        {
            aspects |= PathAspects.Kind;
        }

        if (a.Size != b.Size || a.ContentDigest != b.ContentDigest)
        {
            aspects |= PathAspects.Content;
        }

        if (a.Mode != b.Mode)
        {
            aspects |= PathAspects.Mode;
        }

        if (a.Uid != b.Uid || a.Gid != b.Gid)
        {
            aspects |= PathAspects.Owner;
        }

        if (a.LinkTarget != b.LinkTarget)
        {
            aspects |= PathAspects.Link;
        }

        if (a.Xattrs.Count != b.Xattrs.Count || a.Xattrs.Any(x => !b.Xattrs.TryGetValue(x.Key, out var value) || value != x.Value)
            || a.XattrBytes.Count != b.XattrBytes.Count || a.XattrBytes.Any(x => !b.XattrBytes.TryGetValue(x.Key, out var bytes) || !bytes.AsSpan().SequenceEqual(x.Value)))
        {
            aspects |= PathAspects.Xattrs;
        }

        if (a.DeviceMajor != b.DeviceMajor || a.DeviceMinor != b.DeviceMinor)
        {
            aspects |= PathAspects.Device;
        }

        return aspects;
    }

    private static Dictionary<string, string> Leaves(ReadOnlyMemory<byte> json)
    {
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        Collect(document.RootElement, "", leaves);
        return leaves;
    }

    private static void Collect(JsonElement element, string field, Dictionary<string, string> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var any = false;
                foreach (var property in element.EnumerateObject())
                {
                    any = true;
                    Collect(property.Value, field.Length == 0 ? property.Name : field + "." + property.Name, into);
                }

                if (!any && field.Length > 0)
                {
                    into[field] = "{}";
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, $"{field}[{index++}]", into);
                }

                if (index == 0)
                {
                    into[field] = "[]";
                }

                break;
            default:
                into[field] = element.GetRawText();
                break;
        }
    }
}
