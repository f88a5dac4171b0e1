using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.RoundTrip.Steps;

/// <summary>
/// A remove becomes a whiteout: <c>.wh.NAME</c> beside what it hides; removing a folder and writing
/// into it again in the same step gives the folder, then <c>.wh..wh..opq</c>, then the new children.
/// </summary>
public sealed class RemoveWritesWhiteoutsTests
{
    private static void WriteRootfs(TempDirectory temp) => new RootfsTar()
        .Folder("etc/", mode: 0x1E8, uid: 1, gid: 2)
        .File("etc/old.conf", "old")
        .File("etc/keep.conf", "keep")
        .Folder("usr/")
        .Folder("usr/share/")
        .Folder("usr/share/doc/")
        .File("usr/share/doc/README", "doc")
        .Folder("data/", mode: 0x1C0)
        .File("data/old", "old data")
        .WriteTo(temp.Combine("rootfs.tar"));

    [Test]
    public async Task Removing_a_file_or_a_folder_writes_one_whiteout_beside_it()
    {
        using var temp = new TempDirectory();
        WriteRootfs(temp);

        var (_, archive) = await RecipeBuild.BuildAsync(temp, """
            image: example/whiteouts
            base: { rootfs: rootfs.tar }
            steps:
              - remove: [/etc/old.conf, /usr/share/doc]
            """);

        var layer = archive.Layer(1);
        Assert.That(layer.Select(m => m.Name), Is.EqualTo(new[] { "etc/", "etc/.wh.old.conf", "usr/", "usr/share/", "usr/share/.wh.doc" }));
        var whiteout = layer[1];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(whiteout.IsRegularFile, Is.True);
            Assert.That(whiteout.Size, Is.Zero);
            Assert.That((layer[0].Mode, layer[0].Uid, layer[0].Gid), Is.EqualTo((0x1E8, 1, 2)), "the parent keeps its lower metadata");
        }
    }

    [Test]
    public async Task Removing_a_folder_and_writing_into_it_again_makes_it_opaque()
    {
        using var temp = new TempDirectory();
        WriteRootfs(temp);

        var (_, archive) = await RecipeBuild.BuildAsync(temp, """
            image: example/opaque
            base: { rootfs: rootfs.tar }
            steps:
              - remove: [/data]
                files:
                  - { path: /data/-new, content: fresh }
                  - { path: /data/new, content: fresh }
            """);

        var names = archive.Layer(1).Select(m => m.Name).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(names, Is.EqualTo(new[] { "data/", "data/.wh..wh..opq", "data/-new", "data/new" }));
            Assert.That(names, Has.None.EqualTo(".wh.data"), "the folder is replaced, not deleted");
            Assert.That(archive.Layer(1)[0].Mode, Is.EqualTo(0x1ED), "a removed and re-created folder is new: it gets the defaults");
        }
    }

    [Test]
    public async Task Removing_a_folder_and_declaring_it_again_makes_it_opaque_with_the_new_metadata()
    {
        using var temp = new TempDirectory();
        WriteRootfs(temp);

        var (_, archive) = await RecipeBuild.BuildAsync(temp, """
            image: example/opaque
            base: { rootfs: rootfs.tar }
            steps:
              - remove: [/data]
                dirs:
                  - { path: /data, mode: "0700", owner: "9:9" }
            """);

        var layer = archive.Layer(1);
        Assert.That(layer.Select(m => m.Name), Is.EqualTo(new[] { "data/", "data/.wh..wh..opq" }));
        Assert.That((layer[0].Mode, layer[0].Uid), Is.EqualTo((0x1C0, 9)));
    }
}
