using System.Text.RegularExpressions;

namespace LayerBuilder.Testing;

/// <summary>
/// The Debian mirror this machine's apt already uses, read from its sources (one-line
/// <c>sources.list</c> entries and deb822 <c>.sources</c> files), so no mirror is written into the repository.
/// </summary>
public static partial class AptMirror
{
    public static string? Find(string suite, string root = "/")
    {
        var entries = new List<(string Uri, IReadOnlyList<string> Suites)>();
        var folder = Path.Combine(root, "etc/apt/sources.list.d");
        var files = new List<string> { Path.Combine(root, "etc/apt/sources.list") };
        if (Directory.Exists(folder))
        {
            files.AddRange(Directory.GetFiles(folder).Order(StringComparer.Ordinal));
        }

        foreach (var file in files.Where(File.Exists))
        {
            var text = File.ReadAllText(file);
            if (file.EndsWith(".sources", StringComparison.Ordinal))
            {
                entries.AddRange(Deb822(text));
            }
            else if (file.EndsWith(".list", StringComparison.Ordinal))
            {
                entries.AddRange(OneLine(text));
            }
        }

        // The suite itself, not its -updates or -security companions, which live on other paths.
        var match = entries.FirstOrDefault(e => e.Suites.Contains(suite, StringComparer.Ordinal));
        return match.Uri;
    }

    private static IEnumerable<(string Uri, IReadOnlyList<string> Suites)> Deb822(string text)
    {
        foreach (var stanza in BlankLines().Split(text))
        {
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in stanza.Split('\n').Where(l => !l.TrimStart().StartsWith('#')))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && !char.IsWhiteSpace(line[0]))
                {
                    fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
            }

            if (fields.GetValueOrDefault("Types", "").Split(' ').Contains("deb") &&
                fields.GetValueOrDefault("Enabled", "yes") != "no" &&
                fields.TryGetValue("URIs", out var uris) && fields.TryGetValue("Suites", out var suites))
            {
                foreach (var uri in uris.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    yield return (uri, suites.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                }
            }
        }
    }

    private static IEnumerable<(string Uri, IReadOnlyList<string> Suites)> OneLine(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            // deb [ options ] uri suite component...
            var line = Options().Replace(raw.Split('#')[0], " ");
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 3 && parts[0] == "deb")
            {
                yield return (parts[1], [parts[2]]);
            }
        }
    }

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex BlankLines();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Options();
}
