using System.Globalization;

namespace LayerBuilder.Recipe;

/// <summary>
/// Says in plain words what YamlDotNet reports about a bad indentation ("While parsing a block mapping,
/// did not find expected key.", "While scanning a plain scalar value, found invalid mapping."): which line
/// is indented how far, and how far the lines it could belong with are. The words come from the recipe's
/// text around the position YamlDotNet gives; a message it does not recognise is left as it is.
/// </summary>
internal static class YamlIndentation
{
    private const string NoExpectedKey = "did not find expected key";
    private const string NoExpectedDash = "did not find expected '-' indicator";
    private const string InvalidMapping = "found invalid mapping";
    private const string NoDocumentEnd = "Did not find expected <document end>";

    /// <summary>The plain-words message for YamlDotNet's <paramref name="message"/> at 1-based
    /// <paramref name="line"/> and <paramref name="column"/> of <paramref name="yaml"/>, and the 1-based column
    /// it is about (the start of the key that is off, where YamlDotNet points at its colon); null when it
    /// is not about indentation.</summary>
    public static (string Message, int Column)? Explain(string yaml, string message, int line, int column)
    {
        var lines = yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (line < 1 || line > lines.Length)
        {
            return null;
        }

        var text = lines[line - 1];
        var indent = Indent(text);
        if (message.Contains(NoExpectedKey, StringComparison.Ordinal) || message.Contains(NoExpectedDash, StringComparison.Ordinal))
        {
            var levels = OpenLevels(lines, line - 1);
            return levels.Count == 0 || levels.Contains(indent)
                ? null
                : ($"line {line} is indented {Spaces(indent)}, which lines up with no key or list item above it (they are at {Choices(levels)}); indent it as far as the key or list item it belongs with", column);
        }

        if (message.Contains(InvalidMapping, StringComparison.Ordinal))
        {
            var key = KeyBefore(text, column - 1);
            if (key is null)
            {
                return null;
            }

            if (key.Value.Column > indent + ListDash(text))
            {
                // "image: a: b": the value itself holds ": ".
                return ($"the value on line {line} holds ': ', which YAML reads as a second key; put the value in quotes (\"...\")", column);
            }

            if (Previous(lines, line - 1) is not { } above || Key(lines[above]) is not { } aboveKey)
            {
                return null;
            }

            return ($"'{key.Value.Name}:' on line {line} is indented {Spaces(key.Value.Column)}, more than '{aboveKey.Name}:' on line {above + 1} ({Spaces(aboveKey.Column)}), so YAML reads it as part of the value of '{aboveKey.Name}'; to put it beside '{aboveKey.Name}', indent it {Spaces(aboveKey.Column)}", key.Value.Column + 1);
        }

        if (message.Contains(NoDocumentEnd, StringComparison.Ordinal) && First(lines) is { } first && Indent(lines[first]) > 0 && indent < Indent(lines[first]))
        {
            return ($"the recipe's first line (line {first + 1}) is indented {Spaces(Indent(lines[first]))}, line {line} less; the recipe's own keys start at the beginning of the line, with no space before them", column);
        }

        return null;
    }

    /// <summary>The indentations a line after <paramref name="before"/> lines may have: each line looking
    /// back that is indented less than every line after it opens a level, and a list item ("- key:") opens
    /// the level of its key too.</summary>
    private static SortedSet<int> OpenLevels(string[] lines, int before)
    {
        var levels = new SortedSet<int>();
        var below = int.MaxValue;
        for (var i = before - 1; i >= 0 && below > 0; i--)
        {
            if (IsBlank(lines[i]))
            {
                continue;
            }

            var indent = Indent(lines[i]);
            if (indent >= below)
            {
                continue;
            }

            if (Key(lines[i]) is { } key && key.Column < below)
            {
                levels.Add(key.Column);
            }

            levels.Add(indent);
            below = indent;
        }

        return levels;
    }

    /// <summary>The key ("name:") a line holds, after its indentation and an optional "- ".</summary>
    private static (string Name, int Column)? Key(string text)
    {
        var start = Indent(text) + ListDash(text);
        var colon = text.IndexOf(':', start);
        while (colon >= 0 && colon + 1 < text.Length && text[colon + 1] != ' ')
        {
            colon = text.IndexOf(':', colon + 1);
        }

        return colon > start && text[start] is not ('"' or '\'' or '{' or '[' or '#') ? (text[start..colon].Trim(), start) : null;
    }

    /// <summary>The key that ends at the colon at 0-based <paramref name="colon"/>: the word before it.</summary>
    private static (string Name, int Column)? KeyBefore(string text, int colon)
    {
        if (colon <= 0 || colon >= text.Length || text[colon] != ':')
        {
            return null;
        }

        var start = text.LastIndexOf(' ', colon - 1) + 1;
        return start < colon ? (text[start..colon], start) : null;
    }

    private static int ListDash(string text)
    {
        var indent = Indent(text);
        return text.Length > indent + 1 && text[indent] == '-' && text[indent + 1] == ' ' ? 2 : 0;
    }

    private static int? Previous(string[] lines, int index)
    {
        for (var i = index - 1; i >= 0; i--)
        {
            if (!IsBlank(lines[i]))
            {
                return i;
            }
        }

        return null;
    }

    private static int? First(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            if (!IsBlank(lines[i]))
            {
                return i;
            }
        }

        return null;
    }

    private static bool IsBlank(string text) => text.TrimStart(' ').Length == 0 || text.TrimStart(' ')[0] == '#';

    private static int Indent(string text) => text.Length - text.TrimStart(' ').Length;

    private static string Spaces(int count) => count == 1 ? "1 space" : count.ToString(CultureInfo.InvariantCulture) + " spaces";

    private static string Choices(SortedSet<int> levels)
    {
        var numbers = levels.Select(l => l.ToString(CultureInfo.InvariantCulture)).ToList();
        return numbers.Count == 1 ? Spaces(levels.Min) : string.Join(", ", numbers[..^1]) + " or " + numbers[^1] + " spaces";
    }
}
