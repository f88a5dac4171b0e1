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
    public void A_folder_that_cannot_be_opened_is_stat_ed_by_full_path_with_the_same_errors()
    {
        using var tree = Tree();
        using var missing = HostFolder.Open(tree.Combine("gone"));
        var path = tree.Combine("gone", "x");
        Assert.That(() => missing.Stat("x", path), Throws.TypeOf<FileNotFoundException>().With.Message.EqualTo($"'{path}' does not exist"));

        using var folder = HostFolder.Open(tree.Path);
        var absent = tree.Combine("absent");
        Assert.That(() => folder.Stat("absent", absent), Throws.TypeOf<FileNotFoundException>().With.Message.EqualTo($"'{absent}' does not exist"));
        Assert.That(folder.Stat("a-b", tree.Combine("a-b")), Is.EqualTo(HostFileInfo.Stat(tree.Combine("a-b"))));
    }
}
