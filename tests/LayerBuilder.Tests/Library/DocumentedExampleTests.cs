using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Library;

/// <summary>docs/library.md shows a complete test that builds a fixture in code and reads it back; it is
/// this suite's <see cref="FixtureImageExample"/>, character for character, so the page cannot drift.</summary>
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
}
