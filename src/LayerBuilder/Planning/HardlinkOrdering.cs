using LayerBuilder.FileSystem;

namespace LayerBuilder.Planning;

/// <summary>
/// Makes every hard-link group loadable: extractors need the linked file earlier in the same layer,
/// so within a group the member that sorts first carries the content and the others link to it.
/// Hard links are one inode under several names, so which name holds the bytes changes nothing.
/// </summary>
internal sealed class HardlinkOrdering(List<LayerEntry> entries)
{
    private readonly Dictionary<string, LayerEntry> regrouped = new(StringComparer.Ordinal);

    /// <summary>After <see cref="Apply"/>, the entries it replaced, by path; every other entry is unchanged.</summary>
    public IReadOnlyDictionary<string, LayerEntry> Regrouped => regrouped;

    /// <summary>The entries in their original order, each hard-link group's members rewritten.</summary>
    public List<LayerEntry> Apply()
    {
        if (!entries.Exists(e => e.Kind == EntryKind.Hardlink))
        {
            return entries; // nothing to regroup: no index of every path is needed
        }

        var byPath = entries.ToDictionary(e => e.Path.Value, StringComparer.Ordinal);
        var groups = new Dictionary<string, List<LayerEntry>>(StringComparer.Ordinal);
        foreach (var link in byPath.Values.Where(e => e.Kind == EntryKind.Hardlink))
        {
            var file = Ultimate(link, byPath);
            if (!groups.TryGetValue(file.Path.Value, out var members))
            {
                groups[file.Path.Value] = members = [file];
            }

            members.Add(link);
        }

        foreach (var (_, members) in groups)
        {
            members.Sort(EntryOrder.Instance);
            var file = members.First(m => m.Kind == EntryKind.File);
            var carrier = members[0];
            foreach (var member in members)
            {
                byPath[member.Path.Value] = regrouped[member.Path.Value] = member == carrier
                    ? file with { Path = carrier.Path, Origin = member.Origin }
                    : new LayerEntry
                    {
                        Path = member.Path,
                        Kind = EntryKind.Hardlink,
                        LinkTarget = carrier.Path.Value,
                        Mode = file.Mode,
                        Owner = file.Owner,
                        ModifiedTime = file.ModifiedTime,
                        Origin = member.Origin,
                    };
            }
        }

        return byPath.Values.ToList();
    }

    private static LayerEntry Ultimate(LayerEntry link, Dictionary<string, LayerEntry> byPath)
    {
        var current = link;
        for (var hops = 0; current.Kind == EntryKind.Hardlink; hops++)
        {
            if (hops > byPath.Count || !byPath.TryGetValue(current.LinkTarget!, out var next))
            {
                throw new InvalidOperationException($"hardlink {link.Path} has no file to point at in its layer");
            }

            current = next;
        }

        return current;
    }
}
