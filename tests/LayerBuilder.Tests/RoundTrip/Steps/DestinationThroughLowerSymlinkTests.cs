using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.RoundTrip.Steps;

/// <summary>
/// Destinations resolve symlinks of lower layers inside the image, as Docker's COPY does: on a base
/// where /lib -> usr/lib, writing /lib/x lands in /usr/lib/x and leaves the link alone.
/// </summary>
public sealed class DestinationThroughLowerSymlinkTests
{
    [Test]
    public async Task Writing_under_a_lower_layer_symlink_lands_in_its_target_folder()
    {
        using var temp = new TempDirectory();
        new RootfsTar()
            .Folder("usr/")
            .Folder("usr/lib/")
            .Symlink("lib", "usr/lib")
            .Folder("etc/")
            .Symlink("etc/alt", "/usr/lib")
            .WriteTo(temp.Combine("rootfs.tar"));
        temp.WriteFile("x.so", "copied");

        var (_, archive) = await RecipeBuild.BuildAsync(temp, """
            image: example/symlinks
            base: { rootfs: rootfs.tar }
            steps:
              - copy:
                  - { src: x.so, dest: /lib/x.so }
                files:
                  - { path: /lib/y.conf, content: inline }
                  - { path: /etc/alt/z, content: absolute }
            """);

        var layer = archive.Layer(1);
        var names = layer.Select(m => m.Name).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(names, Is.EqualTo(new[] { "usr/", "usr/lib/", "usr/lib/x.so", "usr/lib/y.conf", "usr/lib/z" }));
            Assert.That(layer.Single(m => m.Name == "usr/lib/x.so").Text, Is.EqualTo("copied"));
            Assert.That(layer.Single(m => m.Name == "usr/lib/z").Text, Is.EqualTo("absolute"));
            Assert.That(names, Has.None.StartWith("lib").And.None.StartWith("etc"), "the symlinks themselves must not be replaced by folders");
        }
    }
}
