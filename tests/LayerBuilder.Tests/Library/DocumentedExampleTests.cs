using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Library;

/// <summary>docs/library.md shows a complete test that builds a fixture in code and reads it back; it is
/// this suite's <see cref="FixtureImageExample"/>, character for character, so the page cannot drift.
/// docs/fixtures.md does the same with <see cref="FixtureEntriesExample"/>, and its YAML form of that
/// fixture builds the image the C# builds.</summary>
public sealed class DocumentedExampleTests
{
    [Test]
    public void The_example_in_library_md_is_the_test_in_the_suite()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "library.md")).ReplaceLineEndings("\n");
        var section = page[page.IndexOf("## Reading the image back", StringComparison.Ordinal)..];
        var start = section.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        var shown = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];

        var test = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "tests", "LayerBuilder.Tests", "Library", "FixtureImageExample.cs")).ReplaceLineEndings("\n");

        Assert.That(shown, Is.EqualTo(test));
    }

    [Test]
    public void The_example_in_fixtures_md_is_the_test_in_the_suite()
    {
        var shown = Block(FixturesPage(), "## A fixture in C#", "csharp");
        var test = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "tests", "LayerBuilder.Tests", "Library", "FixtureEntriesExample.cs")).ReplaceLineEndings("\n");

        Assert.That(shown, Is.EqualTo(test));
    }

    [Test]
    public async Task The_yaml_fixture_in_fixtures_md_builds_the_image_the_csharp_builds()
    {
        using var temp = new TempDirectory();
        var yaml = RecipeParser.Parse(Block(FixturesPage(), "## The same fixture in YAML", "yaml"), "fixture.yml", temp.Path);
        var fromYaml = await ImageBuilder.BuildAsync(BuildRequest.ToFile(yaml, temp.Combine("yaml.tar")) with { Format = ArchiveFormat.Oci });

        Assert.That(yaml.Checks, Has.Count.EqualTo(3));
        Assert.That(fromYaml.ImageId.ToString(), Is.EqualTo(await CodeImageIdAsync(temp)));
    }

    /// <summary>The image id of the C# fixture, built from the same calls <see cref="FixtureEntriesExample"/>
    /// makes (its checks aside, which do not change the image); change both together.</summary>
    private static async Task<string> CodeImageIdAsync(TempDirectory temp)
    {
        var capability = Convert.FromBase64String("AQAAAgAgAAAAAAAAAAAAAAAAAAA=");
        var recipe = RecipeBuilder.FromScratch("fixtures/entries")
            .Created(DateTimeOffset.UnixEpoch)
            .Step("base", step => step
                .File("/usr/bin/ping", "not really ping\n", mode: (UnixFileMode)0b100_111_101_101,
                    xattrs: new Dictionary<string, byte[]> { ["security.capability"] = capability })
                .File("/etc/motd", "hello\n")
                .Node("/dev/null", NodeType.CharDevice, major: 1, minor: 3, mode: (UnixFileMode)0b110_110_110)
                .Node("/run/app.fifo", NodeType.Fifo))
            .Step("fixtures", step => step
                .Whiteout("/etc/motd")
                .File("/moon", "landed\n", mtime: new DateTimeOffset(1969, 7, 20, 20, 17, 40, TimeSpan.Zero)))
            .Build();
        var built = await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, temp.Combine("code.tar")) with { Format = ArchiveFormat.Oci });
        return built.ImageId.ToString();
    }

    private static string FixturesPage() =>
        File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "fixtures.md")).ReplaceLineEndings("\n");

    /// <summary>The first fenced block of <paramref name="language"/> after <paramref name="heading"/>.</summary>
    private static string Block(string page, string heading, string language)
    {
        var section = page[page.IndexOf(heading, StringComparison.Ordinal)..];
        var fence = $"```{language}\n";
        var start = section.IndexOf(fence, StringComparison.Ordinal) + fence.Length;
        return section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
    }
}
