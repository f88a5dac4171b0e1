using LayerBuilder.FileSystem;

namespace LayerBuilder.Tests.Unit;

/// <summary>
/// <see cref="EntryOrder.Sort"/> compares plain paths directly instead of building a key per entry;
/// whatever the names, it must give exactly the order of the entry keys.
/// </summary>
public sealed class EntryOrderFastPathTests
{
    // Characters around '/' and the key's rank and separator characters, plus non-ASCII and surrogates.
    private static readonly string[] Names = ["a", "b", "B", "-", ".", "0", "~", "a-b", "a.b", "\u0001", "\u0002x", "\u0003", "é", "\uD83D\uDE00", "\uFFFD", ".w", "wh"];

    private static LayerEntry Entry(string path, EntryKind kind = EntryKind.File) => new() { Path = ImagePath.Parse(path), Kind = kind };

    private static List<string> ByKey(IEnumerable<LayerEntry> entries)
    {
        var list = entries.ToList();
        list.Sort(EntryOrder.Instance);
        return list.Select(e => e.Path.Value + " " + e.Kind).ToList();
    }

    private static List<string> BySort(IEnumerable<LayerEntry> entries)
    {
        var list = entries.ToList();
        EntryOrder.Sort(list);
        return list.Select(e => e.Path.Value + " " + e.Kind).ToList();
    }

    private static List<string> RandomPaths(Random random, int count)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        while (paths.Count < count)
        {
            var depth = random.Next(1, 4);
            paths.Add("/" + string.Join('/', Enumerable.Range(0, depth).Select(_ => Names[random.Next(Names.Length)])));
        }

        return [.. paths];
    }

    [Test]
    public void Plain_paths_sort_as_their_keys_do()
    {
        var random = new Random(42);
        for (var round = 0; round < 50; round++)
        {
            var entries = RandomPaths(random, 60).Select(p => Entry(p, random.Next(2) == 0 ? EntryKind.File : EntryKind.Directory)).ToList();
            Assert.That(BySort(entries), Is.EqualTo(ByKey(entries)), $"round {round}");
        }
    }

    [Test]
    public void Entries_already_in_order_stay_in_order()
    {
        var entries = new[] { "/a", "/a/b", "/a/b/c", "/a-b", "/a.txt", "/b" }.Select(p => Entry(p)).ToList();
        Assert.That(BySort(entries), Is.EqualTo(ByKey(entries)));
        Assert.That(BySort(entries), Is.EqualTo(entries.Select(e => e.Path.Value + " File")));
    }

    [Test]
    public void Whiteouts_and_wh_names_in_a_list_still_sort_by_key()
    {
        var random = new Random(7);
        for (var round = 0; round < 20; round++)
        {
            var entries = RandomPaths(random, 40).Select(p => Entry(p)).ToList();
            entries.Add(Entry("/a", EntryKind.OpaqueWhiteout));
            entries.Add(Entry("/b/zz", EntryKind.Whiteout));
            entries.Add(Entry("/a/.wh.x"));
            var shuffled = entries.OrderBy(_ => random.Next()).ToList();
            Assert.That(BySort(shuffled), Is.EqualTo(ByKey(shuffled)), $"round {round}");
        }
    }

    [Test]
    public void The_plain_order_covers_only_entries_whose_key_ranks_every_component_alike()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PlainPathOrder.Covers(Entry("/a/b")), Is.True);
            Assert.That(PlainPathOrder.Covers(Entry("/a/.wh.b")), Is.False);
            Assert.That(PlainPathOrder.Covers(Entry("/a/b", EntryKind.Whiteout)), Is.False);
            Assert.That(PlainPathOrder.Covers(Entry("/a", EntryKind.OpaqueWhiteout)), Is.False);
        });
    }
}
