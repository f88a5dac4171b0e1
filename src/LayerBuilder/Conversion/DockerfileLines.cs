using System.Text;
using System.Text.RegularExpressions;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Conversion;

/// <summary>One instruction of a Dockerfile: its keyword (upper case), the text after it with line
/// continuations joined, and where the keyword starts.</summary>
internal sealed record DockerfileInstruction(string Keyword, string Arguments, SourcePosition Position)
{
    /// <summary>The instruction as written, on one line: what a step's name shows.</summary>
    public string Text => Arguments.Length == 0 ? Keyword : $"{Keyword} {Arguments}";
}

/// <summary>
/// Reads a Dockerfile's text into instructions as the Dockerfile parser does: parser directives at the
/// top (<c># escape=</c>; <c># syntax=</c> and <c># check=</c> are read and ignored), comment and empty
/// lines skipped (also inside a continuation), lines ending in the escape character joined with the
/// next. A heredoc's body (<c>&lt;&lt;EOF</c> ... <c>EOF</c>) is skipped and reported: a recipe has no
/// equivalent of its inline files and scripts.
/// </summary>
internal static partial class DockerfileLines
{
    public static List<DockerfileInstruction> Read(string text, string file, DiagnosticBag diagnostics, out char escape)
    {
        escape = '\\';
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var instructions = new List<DockerfileInstruction>();
        var at = 0;
        var seenDirectives = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (; at < lines.Length; at++)
        {
            var directive = Directive().Match(lines[at]);
            if (!directive.Success || !seenDirectives.Add(directive.Groups[1].Value))
            {
                break;
            }

            if (directive.Groups[1].Value.Equals("escape", StringComparison.OrdinalIgnoreCase))
            {
                var value = directive.Groups[2].Value;
                if (value is not ("\\" or "`"))
                {
                    diagnostics.Error(DiagnosticCodes.DockerfileSyntax, new SourcePosition(file, at + 1, 1),
                        $"'# escape={value}': the escape character is '\\' or '`'");
                    continue;
                }

                escape = value[0];
            }
        }

        while (at < lines.Length)
        {
            var line = lines[at];
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                at++;
                continue;
            }

            var start = new SourcePosition(file, at + 1, line.Length - trimmed.Length + 1);
            var logical = new StringBuilder();
            var current = trimmed;
            at++;
            while (true)
            {
                var end = current.TrimEnd();
                if (end.Length > 0 && end[^1] == escape)
                {
                    logical.Append(end, 0, end.Length - 1);
                    while (at < lines.Length && (lines[at].Trim().Length == 0 || lines[at].TrimStart().StartsWith('#')))
                    {
                        at++;
                    }

                    if (at >= lines.Length)
                    {
                        break;
                    }

                    current = lines[at++];
                    continue;
                }

                logical.Append(current);
                break;
            }

            var whole = logical.ToString().Trim();
            var space = whole.IndexOfAny([' ', '\t']);
            var keyword = (space < 0 ? whole : whole[..space]).ToUpperInvariant();
            var arguments = space < 0 ? "" : whole[(space + 1)..].Trim();
            var instruction = new DockerfileInstruction(keyword, arguments, start);
            if (keyword is "RUN" or "COPY" or "ADD" && Heredoc().Matches(arguments) is { Count: > 0 } heredocs)
            {
                // The body lines are no instructions: skip to each terminator in turn.
                foreach (Match heredoc in heredocs)
                {
                    var word = heredoc.Groups[3].Value;
                    var stripTabs = heredoc.Groups[1].Value == "-";
                    while (at < lines.Length && (stripTabs ? lines[at].TrimStart('\t') : lines[at]) != word)
                    {
                        at++;
                    }

                    at++;
                }

                diagnostics.Error(DiagnosticCodes.DockerfileHeredoc, start,
                    $"{keyword} with a heredoc (<<{heredocs[0].Groups[3].Value}): a recipe has no inline scripts or files in this form; write the file under a step's 'files' (content) instead");
                continue;
            }

            instructions.Add(instruction);
        }

        return instructions;
    }

    [GeneratedRegex(@"^#\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*(\S+)\s*$")]
    private static partial Regex Directive();

    [GeneratedRegex(@"<<(-?)([""']?)([A-Za-z_][A-Za-z0-9_]*)\2")]
    private static partial Regex Heredoc();
}
