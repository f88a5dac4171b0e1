using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.RoundTrip.Steps;

/// <summary>
/// A rootfs tar as tar(1) makes it ("./" prefixes, a "./" root entry, parents left implicit) becomes a
/// clean layer: relative names, no root entry, every parent explicit and before its children.
/// </summary>
public sealed class RootfsTarIsNormalizedTests
{
    [Test]
    public async Task Dot_slash_prefixes_and_the_root_entry_are_dropped_and_parents_made_explicit()
    {
        using var temp = new TempDirectory();
        new RootfsTar()
            .Folder("./", mode: 0x1C0)
            .Folder("./etc/", mode: 0x1E8)
            .File("./etc/passwd", "root:x:0:0::/root:/bin/sh\n")
            .File("./usr/bin/env", "#!env", mode: 0x1ED)
            .Symlink("./bin", "usr/bin")
            .Hardlink("./usr/bin/printenv", "./usr/bin/env")
            .WriteTo(temp.Combine("rootfs.tar"));

        var (_, archive) = await RecipeBuild.BuildAsync(temp, """
            image: example/rootfs
            base: { rootfs: rootfs.tar }
            """);

        var layer = archive.Layer(0);
        var names = layer.Select(m => m.Name).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(names, Is.EquivalentTo(new[] { "etc/", "etc/passwd", "usr/", "usr/bin/", "usr/bin/env", "bin", "usr/bin/printenv" }));
            Assert.That(names, Has.None.StartWith("./").And.None.StartWith("/").And.None.EqualTo(".").And.None.EqualTo(""));
            Assert.That(layer.Single(m => m.Name == "etc/").Mode, Is.EqualTo(0x1E8), "entries keep their own metadata");
            Assert.That(layer.Single(m => m.Name == "usr/bin/printenv").LinkName, Is.EqualTo("usr/bin/env"));
            Assert.That(layer.Single(m => m.Name == "bin").LinkName, Is.EqualTo("usr/bin"));
        }

        foreach (var member in layer)
        {
            var parts = member.Name.TrimEnd('/').Split('/');
            for (var depth = 1; depth < parts.Length; depth++)
            {
                var parent = string.Join('/', parts[..depth]) + "/";
                var at = names.IndexOf(parent);
                Assert.That(at, Is.GreaterThanOrEqualTo(0).And.LessThan(names.IndexOf(member.Name)), $"{parent} before {member.Name}");
                Assert.That(layer[at].IsDirectory, Is.True);
            }
        }
    }
}
