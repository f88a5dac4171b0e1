namespace LayerBuilder.EngineTests.Differential;

/// <summary>
/// The differences docs/docker-differences.md admits, read from its machine-readable block (the lines
/// between <c>&lt;!-- differential-tier:begin --&gt;</c> and <c>&lt;!-- differential-tier:end --&gt;</c>,
/// inside a code fence). The tier asserts the differences it finds equal this list exactly.
/// </summary>
public static class DocumentedDifferences
{
    public const string Begin = "<!-- differential-tier:begin -->";
    public const string End = "<!-- differential-tier:end -->";

    public static string DocumentPath => Path.Combine(RepositoryRoot(), "docs", "docker-differences.md");

    public static IReadOnlyList<string> Read()
    {
        var lines = File.ReadAllLines(DocumentPath);
        var begin = Array.IndexOf(lines, Begin);
        var end = Array.IndexOf(lines, End);
        Assert.That(begin >= 0 && end > begin, $"{DocumentPath} has no {Begin} ... {End} block");
        return lines[(begin + 1)..end].Where(l => l.Length > 0 && !l.StartsWith("```", StringComparison.Ordinal)).ToList();
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "LayerBuilder.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no LayerBuilder.sln above {AppContext.BaseDirectory}");
    }
}
