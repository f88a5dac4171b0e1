using System.Text.RegularExpressions;
using LayerBuilder.Build;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Schema;
using LayerBuilder.Tests.Support;
using ImageArchive = LayerBuilder.Reading.ImageArchive;

namespace LayerBuilder.Tests.Faults;

/// <summary>docs/fixtures.md documents every fault, one table row each, and its YAML example builds an
/// image in which validation finds what the page says it does.</summary>
public sealed partial class FaultsDocumentationTests
{
    private const string Section = "## Fixtures that break on purpose";

    /// <summary>The page's section on faults, to its end or the next section.</summary>
    private static string Page
    {
        get
        {
            var text = File.ReadAllText(RepositoryFiles.Combine("docs", "fixtures.md")).ReplaceLineEndings("\n");
            var start = text.IndexOf(Section, StringComparison.Ordinal);
            Assert.That(start, Is.GreaterThanOrEqualTo(0), $"docs/fixtures.md has no '{Section}'");
            var end = text.IndexOf("\n## ", start + Section.Length, StringComparison.Ordinal);
            return end < 0 ? text[start..] : text[start..end];
        }
    }

    [Test]
    public void Every_fault_has_a_row_and_every_row_is_a_fault()
    {
        var rows = FaultRow().Matches(Page).Select(m => m.Groups["name"].Value).ToList();

        Assert.That(rows, Is.EquivalentTo(LayerBuilder.Faults.FaultNames.All));
    }

    [Test]
    public async Task The_yaml_example_builds_an_image_in_which_verify_finds_its_faults()
    {
        using var temp = new TempDirectory();
        var yaml = YamlBlock().Match(Page).Groups["yaml"].Value;
        var recipe = RecipeParser.Parse(yaml, "layerbuild.yml", temp.Path);
        await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, temp.Combine("bad.tar")));

        var codes = (await ImageArchive.ValidateAsync(temp.Combine("bad.tar"))).Select(f => f.Code.Id).Distinct().Order();

        Assert.That(codes, Is.EqualTo(new[] { "LB4001", "LB4013", "LB4014" }));
    }

    [GeneratedRegex(@"^\| `(?<name>[a-z-]+)` \|", RegexOptions.Multiline)]
    private static partial Regex FaultRow();

    [GeneratedRegex("```yaml\n(?<yaml>.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
