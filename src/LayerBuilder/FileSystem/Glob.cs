using System.Text;
using System.Text.RegularExpressions;

namespace LayerBuilder.FileSystem;

/// <summary>
/// Globs over '/'-separated relative paths: <c>*</c> and <c>?</c> stay inside one folder name,
/// <c>**</c> crosses folders (<c>**/x</c> also matches <c>x</c>), <c>[abc]</c> is a character class.
/// Matching is ordinal and case-sensitive, as on Linux.
/// </summary>
internal sealed class Glob
{
    private readonly Regex regex;

    private Glob(string pattern, Regex regex)
    {
        Pattern = pattern;
        this.regex = regex;
    }

    public string Pattern { get; }

    public static bool HasWildcards(string text) => text.AsSpan().IndexOfAny("*?[") >= 0;

    public static bool IsValid(string pattern, out string problem)
    {
        problem = "";
        if (pattern.Length == 0)
        {
            problem = "it is empty";
            return false;
        }

        if (pattern.StartsWith('/'))
        {
            problem = "globs are relative to src; drop the leading '/'";
            return false;
        }

        if (pattern.Split('/').Contains(".."))
        {
            problem = "'..' cannot appear in a glob";
            return false;
        }

        var open = pattern.IndexOf('[', StringComparison.Ordinal);
        if (open >= 0 && pattern.IndexOf(']', open + 1) < 0)
        {
            problem = "'[' has no closing ']'";
            return false;
        }

        return true;
    }

    public static Glob Compile(string pattern)
    {
        var re = new StringBuilder("^");
        var parts = pattern.TrimEnd('/').Split('/');
        for (var p = 0; p < parts.Length; p++)
        {
            var part = parts[p];
            var last = p == parts.Length - 1;
            if (part == "**")
            {
                re.Append(last ? ".*" : "(?:.*/)?");
                continue;
            }

            for (var i = 0; i < part.Length; i++)
            {
                var c = part[i];
                switch (c)
                {
                    case '*':
                        re.Append("[^/]*");
                        break;
                    case '?':
                        re.Append("[^/]");
                        break;
                    case '[':
                        var close = part.IndexOf(']', i + 1);
                        var body = part[(i + 1)..close];
                        re.Append('[').Append(body.StartsWith('!') ? "^" + Regex.Escape(body[1..]) : Regex.Escape(body)).Append(']');
                        i = close;
                        break;
                    default:
                        re.Append(Regex.Escape(c.ToString()));
                        break;
                }
            }

            if (!last)
            {
                re.Append('/');
            }
        }

        re.Append('$');
        return new Glob(pattern, new Regex(re.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline));
    }

    public bool IsMatch(string relativePath) => regex.IsMatch(relativePath);

    public bool IsMatch(ReadOnlySpan<char> relativePath) => regex.IsMatch(relativePath);
}
