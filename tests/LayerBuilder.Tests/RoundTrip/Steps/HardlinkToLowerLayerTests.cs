using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.RoundTrip.Steps;

/// <summary>
/// A hardlink to a lower layer's file copies that file up into the step's layer, with its content and
/// metadata, and the file comes before every link to it (loaders need the target earlier in the layer).
/// </summary>
public sealed class HardlinkToLowerLayerTests
{
    [Test]
    public async Task The_lower_file_is_copied_up_and_precedes_the_link()
    {
        using var temp = new TempDirectory();
        new RootfsTar()
            .Folder("bin/")
            .File("bin/tool", "#!tool", mode: 0x1E9, uid: 3, gid: 4) // 0751
            .WriteTo(temp.Combine("rootfs.tar"));

        var (_, archive) = await RecipeBuild.BuildAsync(temp, """
            image: example/hardlinks
            base: { rootfs: rootfs.tar }
            steps:
              - hardlinks:
                  - { path: /bin/tool2, target: /bin/tool }
            """);

        var layer = archive.Layer(1);
        Assert.That(layer.Select(m => m.Name), Is.EqualTo(new[] { "bin/", "bin/tool", "bin/tool2" }));
        var file = layer[1];
        var link = layer[2];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(file.IsRegularFile, Is.True);
            Assert.That(file.Text, Is.EqualTo("#!tool"));
            Assert.That((file.Mode, file.Uid, file.Gid), Is.EqualTo((0x1E9, 3, 4)), "the copy-up keeps the lower file's metadata");
            Assert.That(link.IsHardLink, Is.True);
            Assert.That(link.LinkName, Is.EqualTo("bin/tool"));
        }
    }

    [Test]
    public async Task A_link_whose_name_sorts_before_its_target_still_follows_a_file_with_the_content()
    {
        using var temp = new TempDirectory();
        new RootfsTar()
            .Folder("bin/")
            .File("bin/tool", "#!tool")
            .WriteTo(temp.Combine("rootfs.tar"));

        var (_, archive) = await RecipeBuild.BuildAsync(temp, """
            image: example/hardlinks
            base: { rootfs: rootfs.tar }
            steps:
              - hardlinks:
                  - { path: /bin/a-tool, target: /bin/tool }
                  - { path: /bin/z-tool, target: /bin/tool }
            """);

        var layer = archive.Layer(1);
        Assert.That(layer.Select(m => m.Name), Is.EqualTo(new[] { "bin/", "bin/a-tool", "bin/tool", "bin/z-tool" }));
        foreach (var link in layer.Where(m => m.IsHardLink))
        {
            var target = layer.FindIndex(m => m.Name == link.LinkName);
            Assert.That(target, Is.GreaterThanOrEqualTo(0).And.LessThan(layer.IndexOf(link)), $"{link.Name} -> {link.LinkName}");
            Assert.That(layer[target].IsRegularFile, Is.True);
            Assert.That(layer[target].Text, Is.EqualTo("#!tool"));
        }

        Assert.That(layer.Count(m => m.IsRegularFile), Is.EqualTo(1), "one copy of the content, two links to it");
    }
}
