using LayerBuilder.FileSystem;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Unit;

/// <summary>
/// The host walk stats each member relative to its open folder; what it reports must be what a stat of
/// the full path reports, in ordinal order, with excluded folders taking their subtree with them.
/// </summary>
public sealed class HostTreeWalkTests
{
    private static TempDirectory Tree()
    {
        var tree = new TempDirectory();
        tree.WriteFile("b/one.txt", "1");
        tree.WriteFile("b/two.txt", "22");
        tree.WriteFile("a-b", "x");
        tree.WriteFile("a/deep/er/file", "deep");
        tree.WriteFile("skip/me", "no");
        File.CreateSymbolicLink(tree.Combine("link"), "b/one.txt");
        File.CreateSymbolicLink(tree.Combine("dangling"), "nowhere");
        HostLinks.CreateHardLink(tree.Combine("b/one.txt"), tree.Combine("b/hard"));
        return tree;
    }

    [Test]
    public void Every_member_is_reported_in_ordinal_order_as_a_full_path_stat_sees_it()
    {
        using var tree = Tree();
        var items = HostTree.Walk(tree.Path, [], []);

        Assert.That(items.Select(i => i.RelativePath), Is.EqualTo(new[]
        {
            "a", "a/deep", "a/deep/er", "a/deep/er/file", "a-b", "b", "b/hard", "b/one.txt", "b/two.txt", "dangling", "link", "skip", "skip/me",
        }));
        foreach (var item in items)
        {
            Assert.That(item.HostPath, Is.EqualTo(Path.Combine(tree.Path, item.RelativePath)));
            Assert.That(item.Info, Is.EqualTo(HostFileInfo.Stat(item.HostPath)), item.RelativePath);
        }

        var byPath = items.ToDictionary(i => i.RelativePath);
        Assert.Multiple(() =>
        {
            Assert.That(byPath["link"].Info.Kind, Is.EqualTo(EntryKind.Symlink), "symlinks are not followed");
            Assert.That(byPath["dangling"].Info.Kind, Is.EqualTo(EntryKind.Symlink));
            Assert.That(byPath["b/hard"].Info.Inode, Is.EqualTo(byPath["b/one.txt"].Info.Inode));
            Assert.That(byPath["b/hard"].Info.LinkCount, Is.EqualTo(2));
            Assert.That(byPath["b/two.txt"].Info.Size, Is.EqualTo(2));
            Assert.That(byPath["a/deep"].Info.Kind, Is.EqualTo(EntryKind.Directory));
        });
    }

    [Test]
    public void An_excluded_folder_takes_its_subtree_and_an_include_keeps_the_folders_leading_to_it()
    {
        using var tree = Tree();
        Assert.That(HostTree.Walk(tree.Path, [], [Glob.Compile("skip"), Glob.Compile("a/deep")]).Select(i => i.RelativePath),
            Is.EqualTo(new[] { "a", "a-b", "b", "b/hard", "b/one.txt", "b/two.txt", "dangling", "link" }));
        Assert.That(HostTree.Walk(tree.Path, [Glob.Compile("**/file")], []).Select(i => i.RelativePath),
            Is.EqualTo(new[] { "a", "a/deep", "a/deep/er", "a/deep/er/file" }));
    }

    [Test]
    public void A_tree_of_many_folders_comes_back_in_walk_order_whichever_thread_read_each_folder()
    {
        using var tree = new TempDirectory();
        var random = new Random(3);
        for (var i = 0; i < 400; i++)
        {
            var depth = random.Next(1, 5);
            var path = string.Join('/', Enumerable.Range(0, depth).Select(_ => "d" + random.Next(6))) + $"/f{random.Next(50)}";
            if (!Directory.Exists(tree.Combine(path)))
            {
                tree.WriteFile(path, "x");
            }
        }

        var expected = new List<string>();
        void Walk(string folder, string prefix)
        {
            foreach (var name in Directory.EnumerateFileSystemEntries(folder).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal))
            {
                expected.Add(prefix + name);
                if (Directory.Exists(Path.Combine(folder, name)))
                {
                    Walk(Path.Combine(folder, name), prefix + name + "/");
                }
            }
        }

        Walk(tree.Path, "");
        for (var round = 0; round < 5; round++)
        {
            Assert.That(HostTree.Walk(tree.Path, [], []).Select(i => i.RelativePath), Is.EqualTo(expected), $"round {round}");
        }
    }

    [Test]
    public void A_missing_root_fails_as_listing_it_does()
    {
        using var tree = new TempDirectory();
        var missing = tree.Combine("missing");
        Assert.That(() => HostTree.Walk(missing, [], []), Throws.TypeOf<DirectoryNotFoundException>()
            .With.Message.EqualTo(Assert.Throws<DirectoryNotFoundException>(() => Directory.EnumerateFileSystemEntries(missing).ToList())!.Message));
    }

    [Test]
    public void A_folder_that_cannot_be_opened_is_stat_ed_by_full_path_with_the_same_errors()
    {
        using var tree = Tree();
        using var missing = HostFolder.Open(tree.Combine("gone"));
        var path = tree.Combine("gone", "x");
        Assert.That(() => missing.StatMember("x", tree.Combine("gone")), Throws.TypeOf<FileNotFoundException>().With.Message.EqualTo($"'{path}' does not exist"));

        using var folder = HostFolder.Open(tree.Path);
        var absent = tree.Combine("absent");
        Assert.That(() => folder.StatMember("absent", tree.Path), Throws.TypeOf<FileNotFoundException>().With.Message.EqualTo($"'{absent}' does not exist"));
        Assert.That(folder.StatMember("a-b", tree.Path).ToInfo(), Is.EqualTo(HostFileInfo.Stat(tree.Combine("a-b"))));
    }
}
