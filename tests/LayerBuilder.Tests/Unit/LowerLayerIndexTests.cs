using LayerBuilder.FileSystem;

namespace LayerBuilder.Tests.Unit;

/// <summary>The merged view of the layers below a step: what an extractor would leave, entry by entry.</summary>
public sealed class LowerLayerIndexTests
{
    private static LayerEntry Folder(string path, int mode = 0x1C0) => new() { Path = ImagePath.Parse(path), Kind = EntryKind.Directory, Mode = mode };

    private static LayerEntry File(string path, int mode = 0x1A4) => new() { Path = ImagePath.Parse(path), Kind = EntryKind.File, Mode = mode };

    private static LayerEntry Link(string path, string target) => new() { Path = ImagePath.Parse(path), Kind = EntryKind.Symlink, LinkTarget = target };

    private static LowerLayerIndex Index(params LayerEntry[] entries)
    {
        var index = new LowerLayerIndex();
        foreach (var entry in entries)
        {
            index.Apply(entry);
        }

        return index;
    }

    private static string[] All(LowerLayerIndex index) => index.Descendants(ImagePath.Root).Select(p => p.Value).ToArray();

    [Test]
    public void Missing_parents_are_implied_as_default_folders_and_later_folder_entries_set_their_metadata()
    {
        var index = Index(File("/a/b/c"));
        Assert.Multiple(() =>
        {
            Assert.That(All(index), Is.EqualTo(new[] { "/a", "/a/b", "/a/b/c" }));
            Assert.That(index.Count, Is.EqualTo(3));
            Assert.That(index.Get(ImagePath.Parse("/a/b"))!.Mode, Is.EqualTo(Permissions.DefaultDirectory));
            Assert.That(index.Get(ImagePath.Parse("/a/b"))!.Path, Is.EqualTo(ImagePath.Parse("/a/b")));
        });

        index.Apply(Folder("/a/b", 0x1C0));
        Assert.Multiple(() =>
        {
            Assert.That(index.Get(ImagePath.Parse("/a/b"))!.Mode, Is.EqualTo(0x1C0));
            Assert.That(All(index), Is.EqualTo(new[] { "/a", "/a/b", "/a/b/c" }), "a folder over a folder keeps its children");
            Assert.That(index.Count, Is.EqualTo(3));
        });
    }

    [Test]
    public void A_file_over_a_folder_replaces_its_subtree_and_a_folder_under_a_file_replaces_the_file()
    {
        var index = Index(Folder("/a"), File("/a/x"), File("/a/y"), File("/b"));
        index.Apply(File("/a"));
        Assert.Multiple(() =>
        {
            Assert.That(All(index), Is.EqualTo(new[] { "/a", "/b" }));
            Assert.That(index.Count, Is.EqualTo(2));
            Assert.That(index.Get(ImagePath.Parse("/a"))!.Kind, Is.EqualTo(EntryKind.File));
        });

        index.Apply(File("/b/c"));
        Assert.Multiple(() =>
        {
            Assert.That(All(index), Is.EqualTo(new[] { "/a", "/b", "/b/c" }));
            Assert.That(index.Get(ImagePath.Parse("/b"))!.Kind, Is.EqualTo(EntryKind.Directory));
        });
    }

    [Test]
    public void Whiteouts_hide_a_path_and_opaque_markers_hide_a_folders_children()
    {
        var index = Index(Folder("/a"), File("/a/x"), Folder("/a/d"), File("/a/d/y"), Folder("/b"), File("/b/z"));
        index.Apply(new LayerEntry { Path = ImagePath.Parse("/a/d"), Kind = EntryKind.Whiteout });
        Assert.Multiple(() =>
        {
            Assert.That(All(index), Is.EqualTo(new[] { "/a", "/a/x", "/b", "/b/z" }));
            Assert.That(index.Count, Is.EqualTo(4));
        });

        index.Apply(new LayerEntry { Path = ImagePath.Parse("/b"), Kind = EntryKind.OpaqueWhiteout });
        index.Apply(new LayerEntry { Path = ImagePath.Parse("/nowhere/x"), Kind = EntryKind.Whiteout });
        Assert.Multiple(() =>
        {
            Assert.That(All(index), Is.EqualTo(new[] { "/a", "/a/x", "/b" }));
            Assert.That(index.Count, Is.EqualTo(3));
            Assert.That(index.Get(ImagePath.Parse("/b/z")), Is.Null);
            Assert.That(index.Get(ImagePath.Parse("/a/x/y")), Is.Null, "nothing is below a file");
        });
    }

    [Test]
    public void Descendants_are_parents_first_names_in_ordinal_order()
    {
        var index = Index(File("/b/2"), File("/a-b"), File("/a/z"), File("/a/B"), File("/b/10"));
        Assert.That(All(index), Is.EqualTo(new[] { "/a", "/a/B", "/a/z", "/a-b", "/b", "/b/10", "/b/2" }));
        Assert.That(index.Descendants(ImagePath.Parse("/b")).Select(p => p.Value), Is.EqualTo(new[] { "/b/10", "/b/2" }));
    }

    [Test]
    public void Parents_resolve_through_lower_symlinks_inside_the_root()
    {
        var index = Index(Folder("/usr"), Folder("/usr/lib"), Link("/lib", "usr/lib"), Link("/up", "../../usr"), File("/etc"));
        Assert.Multiple(() =>
        {
            Assert.That(index.ResolveParents(ImagePath.Parse("/lib/x")), Is.EqualTo(new ResolvedPath(ImagePath.Parse("/usr/lib/x"), null)));
            Assert.That(index.ResolveAll(ImagePath.Parse("/up/lib")), Is.EqualTo(new ResolvedPath(ImagePath.Parse("/usr/lib"), null)));
            Assert.That(index.ResolveParents(ImagePath.Parse("/lib")), Is.EqualTo(new ResolvedPath(ImagePath.Parse("/lib"), null)));
            Assert.That(index.ResolveParents(ImagePath.Parse("/etc/hosts")).Problem, Is.EqualTo("/etc is a file in a lower layer, not a folder"));
            Assert.That(index.ResolveParents(ImagePath.Parse("/new/a/b")), Is.EqualTo(new ResolvedPath(ImagePath.Parse("/new/a/b"), null)));
        });
    }

    [Test]
    public void The_root_entry_takes_new_metadata()
    {
        var index = Index(Folder("/", 0x1C0), File("/a"));
        Assert.That(index.Get(ImagePath.Root)!.Mode, Is.EqualTo(0x1C0));
        Assert.That(All(index), Is.EqualTo(new[] { "/a" }));
    }
}
