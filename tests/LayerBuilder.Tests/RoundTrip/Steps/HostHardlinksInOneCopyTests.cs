using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.RoundTrip.Steps;

/// <summary>Host files that are hard links of each other inside one copy stay hard links in the layer.</summary>
public sealed class HostHardlinksInOneCopyTests
{
    [Test]
    public async Task The_first_name_carries_the_content_and_the_others_link_to_it()
    {
        using var temp = new TempDirectory();
        var first = temp.WriteFile("app/a.txt", "shared bytes");
        HostLinks.CreateHardLink(first, temp.Combine("app/b.txt"));
        HostLinks.CreateHardLink(first, temp.Combine("app/c.txt"));
        temp.WriteFile("app/other.txt", "shared bytes");

        var (_, archive) = await RecipeBuild.BuildAsync(temp, """
            image: example/hostlinks
            steps:
              - copy:
                  - { src: app/, dest: /app/ }
            """);

        var layer = archive.Layer(0).ToDictionary(m => m.Name);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(layer["app/a.txt"].IsRegularFile, Is.True);
            Assert.That(layer["app/a.txt"].Text, Is.EqualTo("shared bytes"));
            Assert.That(layer["app/b.txt"].IsHardLink, Is.True);
            Assert.That(layer["app/b.txt"].LinkName, Is.EqualTo("app/a.txt"));
            Assert.That(layer["app/c.txt"].IsHardLink, Is.True);
            Assert.That(layer["app/c.txt"].LinkName, Is.EqualTo("app/a.txt"));
            Assert.That(layer["app/other.txt"].IsRegularFile, Is.True, "equal content alone does not make a hard link");
        }
    }
}
