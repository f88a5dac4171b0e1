using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.RoundTrip.Steps;

/// <summary>
/// A file copied onto a path that is a symlink in a lower layer is written through the link, as Docker's
/// COPY does: relative and absolute targets resolve inside the image root, and a dangling link creates its
/// target; the link itself stays (docs/recipe.md, "Symlinks in destinations").
/// </summary>
public sealed class CopyOntoLowerSymlinkTests
{
    [Test]
    public async Task A_copied_file_follows_relative_absolute_and_dangling_links()
    {
        using var temp = new TempDirectory();
        new RootfsTar()
            .Folder("etc/")
            .Folder("opt/")
            .Folder("usr/")
            .Folder("usr/lib/")
            .File("usr/lib/os-release", "base\n")
            .Symlink("etc/os-release", "../usr/lib/os-release")
            .Folder("usr/share/")
            .Folder("usr/share/zoneinfo/")
            .File("usr/share/zoneinfo/UTC", "zone\n")
            .Symlink("etc/localtime", "/usr/share/zoneinfo/UTC")
            .Symlink("etc/dlink", "/opt/created-through-link")
            .Symlink("etc/climbing", "../../../../opt/climbed")
            .WriteTo(temp.Combine("rootfs.tar"));
        temp.WriteFile("hello.txt", "hello\n");

        var (_, archive) = await RecipeBuild.BuildAsync(temp, """
            image: example/copy-onto-links
            base: { rootfs: rootfs.tar }
            steps:
              - copy:
                  - { src: hello.txt, dest: /etc/os-release }
                  - { src: hello.txt, dest: /etc/localtime }
                  - { src: hello.txt, dest: /etc/dlink }
                  - { src: hello.txt, dest: /etc/climbing }
            """);

        var layer = archive.Layer(1);
        var files = layer.Where(m => m.IsRegularFile).ToDictionary(m => m.Name, m => m.Text);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(files.Keys, Is.EquivalentTo(new[] { "usr/lib/os-release", "usr/share/zoneinfo/UTC", "opt/created-through-link", "opt/climbed" }));
            Assert.That(files.Values, Is.All.EqualTo("hello\n"));
            Assert.That(layer.Where(m => m.Name.StartsWith("etc/", StringComparison.Ordinal)), Is.Empty, "the links themselves stay as the base has them");
        }
    }

    [Test]
    public async Task A_file_copied_into_a_folder_follows_a_link_of_its_own_name()
    {
        using var temp = new TempDirectory();
        new RootfsTar()
            .Folder("etc/")
            .Folder("usr/")
            .Folder("usr/lib/")
            .File("usr/lib/os-release", "base\n")
            .Symlink("etc/os-release", "../usr/lib/os-release")
            .WriteTo(temp.Combine("rootfs.tar"));
        temp.WriteFile("os-release", "mine\n");

        var (_, archive) = await RecipeBuild.BuildAsync(temp, """
            image: example/copy-into-folder-onto-link
            base: { rootfs: rootfs.tar }
            steps:
              - copy:
                  - { src: os-release, dest: /etc/ }
            """);

        var layer = archive.Layer(1);
        Assert.That(layer.Single(m => m.IsRegularFile).Name, Is.EqualTo("usr/lib/os-release"));
    }

    [Test]
    public async Task A_link_to_a_file_under_a_file_is_still_an_error()
    {
        using var temp = new TempDirectory();
        new RootfsTar()
            .Folder("etc/")
            .File("etc/passwd", "root:x:0:0::/root:/bin/sh\n")
            .Symlink("etc/bad", "/etc/passwd/x")
            .WriteTo(temp.Combine("rootfs.tar"));
        temp.WriteFile("hello.txt", "hello\n");

        var diagnostics = await RecipeBuild.FailAsync(temp, """
            image: example/copy-under-a-file
            base: { rootfs: rootfs.tar }
            steps:
              - copy:
                  - { src: hello.txt, dest: /etc/bad }
            """, temp.Combine("out", "image.tar"));

        Assert.That(diagnostics.Select(d => d.Code.ToString()), Is.EqualTo(new[] { "LB2007" }));
    }
}
