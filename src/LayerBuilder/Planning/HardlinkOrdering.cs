using LayerBuilder.FileSystem;

namespace LayerBuilder.Planning;

/// <summary>
/// Makes every hard-link group loadable: extractors need the linked file earlier in the same layer,
/// so within a group the member that sorts first carries the content and the others link to it.
/// Hard links are one inode under several names, so which name holds the bytes changes nothing.
/// Only the groups' members are looked at and rewritten, in place in the plan.
/// </summary>
internal sealed class HardlinkOrdering(PlanStore plan)
{
    public void Apply()
    {
        var groups = new Dictionary<int, List<int>>();
        for (var row = 0; row < plan.Count; row++)
        {
            if (plan.KindOf(row) != EntryKind.Hardlink)
            {
                continue;
            }

            var file = Ultimate(row);
            if (!groups.TryGetValue(file, out var members))
            {
                groups[file] = members = [file];
            }

            members.Add(row);
        }

        foreach (var (fileRow, rows) in groups)
        {
            var file = plan[fileRow];
            var members = rows.Select(row => (Row: row, Entry: plan[row])).ToList();
            members.Sort((x, y) => EntryOrder.Instance.Compare(x.Entry, y.Entry));
            var carrier = members[0].Entry;
            foreach (var (row, member) in members)
            {
                var rewritten = member == carrier
                    ? file with { Path = carrier.Path }
                    : new LayerEntry
                    {
                        Path = member.Path,
                        Kind = EntryKind.Hardlink,
                        LinkTarget = carrier.Path.Value,
                        Mode = file.Mode,
                        Owner = file.Owner,
                        ModifiedTime = file.ModifiedTime,
                        ModifiedFraction = file.ModifiedFraction,
                    };
                plan.Replace(row, rewritten, plan.SourceIdOf(row), plan.IsExplicit(row));
            }
        }
    }

    private int Ultimate(int link)
    {
        var current = link;
        for (var hops = 0; plan.KindOf(current) == EntryKind.Hardlink; hops++)
        {
            var target = plan[current].LinkTarget!;
            var next = plan.Find(ImagePath.Parse(target));
            if (hops > plan.Count || next == PlanStore.None)
            {
                throw new InvalidOperationException($"hardlink {plan.PathOf(link)} has no file to point at in its layer");
            }

            current = next;
        }

        return current;
    }
}
