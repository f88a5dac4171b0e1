using System.Text;
using System.Text.Json;

namespace LayerBuilder.Conversion;

/// <summary>A piece of a processed Dockerfile word: literal text, or a variable reference.</summary>
internal abstract record WordPiece;

internal sealed record LiteralPiece(string Text) : WordPiece;

internal sealed record VariablePiece(string Name) : WordPiece;

/// <summary>
/// The Dockerfile's word rules, as its shell-like lexer applies them to ADD, COPY, ENV, EXPOSE, FROM,
/// LABEL, STOPSIGNAL, USER, VOLUME and WORKDIR: words split at unquoted white space, quotes removed,
/// the escape character taking the next character literally, and <c>$NAME</c> / <c>${NAME}</c>
/// references. The modifier forms (<c>${NAME:-default}</c> and the like) have no recipe equivalent
/// and are reported by the caller (<see cref="UnsupportedVariable"/>).
/// </summary>
internal sealed class DockerfileWords(char escape)
{
    /// <summary>Set when a word held a <c>${...}</c> form other than a plain name.</summary>
    public string? UnsupportedVariable { get; private set; }

    /// <summary>Forgets <see cref="UnsupportedVariable"/> once it was reported.</summary>
    public void Reset() => UnsupportedVariable = null;

    /// <summary>Splits at unquoted white space, keeping quotes and escapes for <see cref="Process"/>.</summary>
    public List<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is null && char.IsWhiteSpace(c))
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }

                continue;
            }

            word.Append(c);
            if (c == escape && quote != '\'' && i + 1 < text.Length)
            {
                word.Append(text[++i]);
            }
            else if (quote is null && c is '"' or '\'')
            {
                quote = c;
            }
            else if (quote == c)
            {
                quote = null;
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    /// <summary>A word with its quotes and escapes removed, split into literal text and references.</summary>
    public List<WordPiece> Process(string word)
    {
        var pieces = new List<WordPiece>();
        var literal = new StringBuilder();
        char? quote = null;
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            if (quote == '\'')
            {
                if (c == '\'')
                {
                    quote = null;
                }
                else
                {
                    literal.Append(c);
                }

                continue;
            }

            if (c == escape && i + 1 < word.Length)
            {
                var next = word[++i];
                if (quote == '"' && next != '"' && next != '$' && next != escape)
                {
                    literal.Append(c);
                }

                literal.Append(next);
                continue;
            }

            if (c == '"' || (c == '\'' && quote is null))
            {
                quote = quote == c ? null : quote ?? c;
                continue;
            }

            if (c == '$' && i + 1 < word.Length && (word[i + 1] == '{' || IsNameStart(word[i + 1])))
            {
                string name;
                if (word[i + 1] == '{')
                {
                    var end = word.IndexOf('}', i + 2);
                    var inner = end < 0 ? word[(i + 2)..] : word[(i + 2)..end];
                    if (end < 0 || inner.Length == 0 || !IsNameStart(inner[0]) || !inner.All(IsNameChar))
                    {
                        UnsupportedVariable ??= end < 0 ? word[i..] : word[i..(end + 1)];
                        i = end < 0 ? word.Length : end;
                        continue;
                    }

                    name = inner;
                    i = end;
                }
                else
                {
                    var end = i + 1;
                    while (end < word.Length && IsNameChar(word[end]))
                    {
                        end++;
                    }

                    name = word[(i + 1)..end];
                    i = end - 1;
                }

                if (literal.Length > 0)
                {
                    pieces.Add(new LiteralPiece(literal.ToString()));
                    literal.Clear();
                }

                pieces.Add(new VariablePiece(name));
                continue;
            }

            literal.Append(c);
        }

        if (literal.Length > 0 || pieces.Count == 0)
        {
            pieces.Add(new LiteralPiece(literal.ToString()));
        }

        return pieces;
    }

    /// <summary>The JSON (exec) form: a JSON array of strings, else null (the shell form).</summary>
    public static List<string>? JsonForm(string arguments)
    {
        if (!arguments.StartsWith('['))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(arguments);
            if (document.RootElement.ValueKind != JsonValueKind.Array ||
                document.RootElement.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                return null;
            }

            return document.RootElement.EnumerateArray().Select(e => e.GetString()!).ToList();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
