using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Planning;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Unit;

/// <summary>
/// The packed plan (<see cref="PlanStore"/>) sorts its rows without making their paths, by folder number
/// and name; whatever the names and the order they were added in, the result must be the entry-key
/// order, and a path must be found again whichever folder number it was added under.
/// </summary>
public sealed class PlanStoreTests
{
    // Characters around '/' and the key's rank characters, plus non-ASCII and surrogates (no ".", which a path normalizes away).
    private static readonly string[] Names = ["a", "b", "B", "-", "0", "~", "a-b", "a.b", "\u0001", "\u0003", "é", "\uD83D\uDE00", "\uFFFD", ".w", "wh"];

    private static PlanStore Store(IEnumerable<string> paths, out int source)
    {
        var store = new PlanStore(1_700_000_000);
        source = store.AddSource(new PlanSource("test", SourcePosition.StartOf("t.yml")));
        foreach (var path in paths)
        {
            Assert.That(store.Add(new LayerEntry { Path = ImagePath.Parse(path), Kind = EntryKind.File }, source, isExplicit: false), Is.EqualTo(PlanStore.None), path);
        }

        return store;
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    public void Rows_sort_into_the_entry_key_order_whatever_order_they_came_in(int seed)
    {
        var random = new Random(seed);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        while (paths.Count < 300)
        {
            var depth = random.Next(1, 5);
            paths.Add("/" + string.Join('/', Enumerable.Range(0, depth).Select(_ => Names[random.Next(Names.Length)])));
        }

        // Most in order, the rest appended at the end, as a walked copy with later entries is.
        var ordered = paths.Select(p => new LayerEntry { Path = ImagePath.Parse(p), Kind = EntryKind.File }).ToList();
        ordered.Sort(EntryOrder.Instance);
        var expected = ordered.Select(e => e.Path.Value).ToList();
        var head = expected.Take(200);
        var tail = expected.Skip(200).OrderBy(_ => random.Next());
        var store = Store(seed % 2 == 0 ? head.Concat(tail) : expected.OrderBy(_ => random.Next()), out _);

        store.Sort();

        Assert.That(store.Select(e => e.Path.Value), Is.EqualTo(expected));
    }

    [Test]
    public void A_path_is_found_again_and_a_second_entry_for_it_is_not_added()
    {
        var store = Store(["/a/b", "/a/c/d", "/x"], out var source);

        Assert.Multiple(() =>
        {
            Assert.That(store.Find(ImagePath.Parse("/a/c/d")), Is.EqualTo(1));
            Assert.That(store.Find(ImagePath.Parse("/a/c")), Is.EqualTo(PlanStore.None), "a folder above an entry is not an entry");
            Assert.That(store.Find(ImagePath.Parse("/nowhere/x")), Is.EqualTo(PlanStore.None));
            Assert.That(store.Add(new LayerEntry { Path = ImagePath.Parse("/a/./b"), Kind = EntryKind.Directory }, source, isExplicit: true), Is.EqualTo(0));
            Assert.That(store.Count, Is.EqualTo(3));
        });
    }

    [Test]
    public void Walked_members_come_out_as_host_files_with_the_stat_the_walk_made()
    {
        using var tree = new TempDirectory();
        tree.WriteFile("sub/one.txt", "1");
        tree.WriteFile("sub/two.txt", "22");
        var walked = HostTree.Listing(tree.Path, [], []);
        var store = new PlanStore(42);
        var source = store.AddSource(new PlanSource("copy", SourcePosition.StartOf("t.yml")) { Owner = new Owner(7, 8) });
        var folder = store.FolderId(ImagePath.Parse("/data"));
        foreach (var (listing, member) in walked.Items().Where(i => i.Folder.Stat(i.Member).Kind == EntryKind.File))
        {
            store.AddWalked(folder, store.AddListing(listing), member, EntryKind.File, 0x1A4, source);
        }

        var entries = store.ToList();
        Assert.That(entries.Select(e => e.Path.Value), Is.EqualTo(new[] { "/data/one.txt", "/data/two.txt" }));
        var two = entries[1];
        var host = (HostFileContent)two.Content!;
        Assert.Multiple(() =>
        {
            Assert.That(host.HostPath, Is.EqualTo(tree.Combine("sub/two.txt")));
            Assert.That(host.Length, Is.EqualTo(2));
            Assert.That(host.Info, Is.EqualTo(HostFileInfo.Stat(host.HostPath)), "the rewrite check and the cache key see the plan's stat");
            Assert.That(two.Owner, Is.EqualTo(new Owner(7, 8)));
            Assert.That(two.ModifiedTime, Is.EqualTo(42));
            Assert.That(two.Mode, Is.EqualTo(0x1A4));
        });
    }
    [Test]
    public void A_folder_filled_by_one_walked_listing_still_finds_every_path_and_takes_no_second_entry()
    {
        using var tree = new TempDirectory();
        foreach (var name in new[] { "a", "b", "c", "é", "\uD83D\uDE00" })
        {
            tree.WriteFile($"src/{name}", name);
        }

        tree.WriteFile("other/b", "other b");
        tree.WriteFile("other/z", "z");
        var src = HostTree.Listing(tree.Combine("src"), [], []).Items().ToList();
        var other = HostTree.Listing(tree.Combine("other"), [], []).Items().ToList();
        var store = new PlanStore(42);
        var source = store.AddSource(new PlanSource("copy", SourcePosition.StartOf("t.yml")));
        var folder = store.FolderId(ImagePath.Parse("/data"));

        // The walk hands a folder's listing back under a new number after each subfolder's members:
        // the first members under one number, the rest under another, as CopyPlanner does.
        var first = store.AddListing(src[0].Folder);
        var second = store.AddListing(src[0].Folder);
        for (var i = 0; i < src.Count; i++)
        {
            Assert.That(store.AddWalked(folder, i < 2 ? first : second, src[i].Member, EntryKind.File, 0x1A4, source), Is.EqualTo(PlanStore.None));
        }

        Assert.Multiple(() =>
        {
            for (var i = 0; i < src.Count; i++)
            {
                Assert.That(store.Find(ImagePath.Parse("/data/" + src[i].Folder.Name(src[i].Member).ToString())), Is.EqualTo(i));
            }

            Assert.That(store.Find(ImagePath.Parse("/data/nothing")), Is.EqualTo(PlanStore.None));
        });

        // Another host folder into the same image folder: what both have is found, not added twice.
        var third = store.AddListing(other[0].Folder);
        var rows = other.Select(o => store.AddWalked(folder, third, o.Member, EntryKind.File, 0x1A4, source)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(rows, Is.EqualTo(new[] { 1, PlanStore.None }), "'b' is row 1 already; 'z' is new");
            Assert.That(store.Count, Is.EqualTo(src.Count + 1));
            Assert.That(store.Add(new LayerEntry { Path = ImagePath.Parse("/data/c"), Kind = EntryKind.File }, source, isExplicit: true), Is.EqualTo(2));
            Assert.That(store.Find(ImagePath.Parse("/data/z")), Is.EqualTo(src.Count));
        });

        // And a listing after a kept-whole entry in the folder is looked up too.
        var fourth = store.AddListing(src[0].Folder);
        Assert.That(store.AddWalked(folder, fourth, src[0].Member, EntryKind.File, 0x1A4, source), Is.EqualTo(0));
    }

    [Test]
    public void Walked_members_added_without_lookups_are_found_after_kept_whole_entries_in_other_folders()
    {
        using var tree = new TempDirectory();
        for (var i = 0; i < 40; i++)
        {
            tree.WriteFile($"f{i:D2}", "x");
        }

        var walked = HostTree.Listing(tree.Path, [], []).Items().ToList();
        var store = new PlanStore(42);
        var source = store.AddSource(new PlanSource("copy", SourcePosition.StartOf("t.yml")));
        var folder = store.FolderId(ImagePath.Parse("/w"));
        var listing = store.AddListing(walked[0].Folder);
        for (var i = 0; i < walked.Count; i++)
        {
            store.AddWalked(folder, listing, walked[i].Member, EntryKind.File, 0x1A4, source);

            // Entries elsewhere grow the hash table while the walked rows wait to be put in it.
            Assert.That(store.Add(new LayerEntry { Path = ImagePath.Parse($"/k/e{i}"), Kind = EntryKind.File }, source, isExplicit: false), Is.EqualTo(PlanStore.None));
        }

        Assert.Multiple(() =>
        {
            for (var i = 0; i < walked.Count; i++)
            {
                Assert.That(store.Find(ImagePath.Parse($"/w/f{i:D2}")), Is.EqualTo(2 * i), $"f{i:D2}");
                Assert.That(store.Find(ImagePath.Parse($"/k/e{i}")), Is.EqualTo((2 * i) + 1), $"e{i}");
            }
        });
    }
}
