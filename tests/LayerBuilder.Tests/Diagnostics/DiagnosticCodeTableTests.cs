using System.Text.RegularExpressions;
using LayerBuilder.Diagnostics;
using LayerBuilder.Tests.Schema;

namespace LayerBuilder.Tests.Diagnostics;

/// <summary>
/// The code table is a public contract: unique numbers and ids, each in the range its kind documents,
/// and every code explained in docs/diagnostics.md (and nothing there that the table lacks).
/// </summary>
public sealed partial class DiagnosticCodeTableTests
{
    [Test]
    public void Numbers_and_ids_are_unique()
    {
        Assert.That(DiagnosticCodes.All.Select(c => c.Number), Is.Unique);
        Assert.That(DiagnosticCodes.All.Select(c => c.Id), Is.Unique);
    }

    [Test]
    public void Codes_are_in_the_documented_ranges()
    {
        // LB1xxx recipe, LB2xxx inputs, LB3xxx output, LB4xxx validation findings, LB5xxx registries and engines, LB6xxx checks, LB8xxx the publish route, LB9xxx internal (docs/diagnostics.md).
        Assert.That(DiagnosticCodes.All.Select(c => c.Number), Has.All.InRange(1001, 1999).Or.InRange(2001, 2999).Or.InRange(3001, 3999).Or.InRange(4001, 4999).Or.InRange(5001, 5999).Or.InRange(6001, 6999).Or.InRange(8001, 8999).Or.InRange(9001, 9999));
        Assert.That(DiagnosticCodes.All.Select(c => c.Id), Has.All.Match("^LB[12345689][0-9]{3}$"));
    }

    [Test]
    public void Every_code_has_a_row_in_the_docs_with_its_title()
    {
        var rows = Rows();

        Assert.Multiple(() =>
        {
            foreach (var code in DiagnosticCodes.All)
            {
                Assert.That(rows.ContainsKey(code.Id), Is.True, $"{code.Id} ({code.Title}) is not in docs/diagnostics.md");
                if (rows.TryGetValue(code.Id, out var row))
                {
                    Assert.That(row.Title, Is.EqualTo(code.Title), $"title of {code.Id} in docs/diagnostics.md");
                    Assert.That(row.Meaning, Is.Not.Empty, $"meaning of {code.Id}");
                    Assert.That(row.Fix, Is.Not.Empty, $"fix hint of {code.Id}");
                }
            }
        });
    }

    [Test]
    public void The_docs_name_no_code_the_table_lacks() =>
        Assert.That(Rows().Keys, Is.SubsetOf(DiagnosticCodes.All.Select(c => c.Id)));

    [Test]
    public void Each_code_is_documented_in_the_section_of_its_range()
    {
        var section = "";
        var misplaced = new List<string>();
        foreach (var line in File.ReadLines(DocsPath))
        {
            if (line.StartsWith("## LB", StringComparison.Ordinal))
            {
                section = line[3..5]; // "LB1" .. "LB9"
            }
            else if (Row().Match(line) is { Success: true } row && !row.Groups["id"].Value.StartsWith(section, StringComparison.Ordinal))
            {
                misplaced.Add($"{row.Groups["id"].Value} under {section}xxx");
            }
        }

        Assert.That(misplaced, Is.Empty);
    }

    private static string DocsPath => RepositoryFiles.Combine("docs", "diagnostics.md");

    private static Dictionary<string, (string Title, string Meaning, string Fix)> Rows() =>
        File.ReadLines(DocsPath)
            .Select(line => Row().Match(line))
            .Where(m => m.Success)
            .ToDictionary(
                m => m.Groups["id"].Value,
                m => (m.Groups["title"].Value.Trim(), m.Groups["meaning"].Value.Trim(), m.Groups["fix"].Value.Trim()),
                StringComparer.Ordinal);

    // | LB1020 | Invalid file mode | meaning | fix |   (cells may hold escaped pipes: \|)
    [GeneratedRegex(@"^\| (?<id>LB[0-9]{4}) \|(?<title>(?:[^|\\]|\\.)*)\|(?<meaning>(?:[^|\\]|\\.)*)\|(?<fix>(?:[^|\\]|\\.)*)\|\s*$")]
    private static partial Regex Row();
}
