using LayerBuilder.FileSystem;

namespace LayerBuilder.Tests.Unit;

/// <summary>
/// Layer entry order: a folder before everything under it, and inside a folder the opaque marker
/// first, then whiteouts, then other names in byte order (image-spec layer.md wants whiteouts before
/// siblings even when a sibling such as "-x" sorts before ".wh." byte-wise).
/// </summary>
public sealed class EntryOrderTests
{
    private static LayerEntry Entry(string path, EntryKind kind) => new() { Path = ImagePath.Parse(path), Kind = kind };

    private static List<string> Sorted(IEnumerable<LayerEntry> entries)
    {
        var list = entries.ToList();
        list.Sort(EntryOrder.Instance);
        return list.Select(e => e.TarName).ToList();
    }

    [Test]
    public void Opaque_marker_then_whiteouts_then_siblings_in_byte_order()
    {
        var entries = new[]
        {
            Entry("/a/c/d", EntryKind.File),
            Entry("/a/b", EntryKind.File),
            Entry("/a/-x", EntryKind.File),
            Entry("/a/z", EntryKind.Whiteout),
            Entry("/a/c", EntryKind.Directory),
            Entry("/a", EntryKind.OpaqueWhiteout),
            Entry("/a/.hidden", EntryKind.File),
            Entry("/a", EntryKind.Directory),
            Entry("/a/B", EntryKind.File),
        };

        Assert.That(Sorted(entries), Is.EqualTo(new[]
        {
            "a/",
            "a/.wh..wh..opq",
            "a/.wh.z",
            "a/-x",
            "a/.hidden",
            "a/B",
            "a/b",
            "a/c/",
            "a/c/d",
        }));
    }

    [Test]
    public void A_folder_and_its_whole_subtree_come_before_a_sibling_whose_name_extends_the_folder_name()
    {
        var entries = new[]
        {
            Entry("/a-b", EntryKind.File),
            Entry("/a/b/c", EntryKind.File),
            Entry("/a.txt", EntryKind.File),
            Entry("/a/b", EntryKind.Directory),
            Entry("/a", EntryKind.Directory),
        };

        Assert.That(Sorted(entries), Is.EqualTo(new[] { "a/", "a/b/", "a/b/c", "a-b", "a.txt" }));
    }

    [Test]
    public void Every_parent_precedes_its_children_whatever_the_input_order()
    {
        var paths = new[] { "/usr", "/usr/lib", "/usr/lib/x", "/usr/lib-x", "/usr/lib/x/y", "/etc", "/etc/hosts", "/-", "/~" };
        var random = new Random(1234);
        for (var round = 0; round < 20; round++)
        {
            var shuffled = paths.OrderBy(_ => random.Next()).Select(p => Entry(p, EntryKind.Directory)).ToList();
            var order = Sorted(shuffled);
            foreach (var name in order)
            {
                var trimmed = name.TrimEnd('/');
                var slash = trimmed.LastIndexOf('/');
                if (slash > 0)
                {
                    Assert.That(order.IndexOf(trimmed[..(slash + 1)]), Is.LessThan(order.IndexOf(name)), $"{name} in round {round}: {string.Join(" ", order)}");
                }
            }

            Assert.That(order, Is.EqualTo(Sorted(paths.Select(p => Entry(p, EntryKind.Directory)))), "the order must not depend on the input order");
        }
    }
}
