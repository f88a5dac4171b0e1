using System.Buffers;
using System.Text.Unicode;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Recipe;

/// <summary>
/// Turns recipe bytes into text, and checks that the text holds only characters YAML allows. A byte that
/// is not UTF-8 or a character YAML forbids is an error at its line and column: YamlDotNet would read
/// the first as U+FFFD and stop at a NUL as if the file ended there, silently changing the recipe.
/// </summary>
internal static class RecipeText
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// What YAML 1.2 does not allow in a stream (its c-printable set, section 5.1): C0 controls but tab and
    /// line breaks, DEL, C1 controls but NEL, U+FFFE and U+FFFF; and surrogates, which are fine only in pairs.
    /// </summary>
    private static readonly SearchValues<char> Suspect = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Where(c => c is not ('\t' or '\n' or '\r')).Select(c => (char)c)) +
        string.Concat(Enumerable.Range(0x7F, 0x21).Where(c => c != 0x85).Select(c => (char)c)) +
        string.Concat(Enumerable.Range(0xD800, 0x800).Select(c => (char)c)) +
        "\uFFFE\uFFFF");

    /// <summary>Decodes UTF-8 (a leading byte order mark is dropped), refusing any byte that is not part of valid UTF-8.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string file)
    {
        if (bytes.StartsWith(Utf8Bom))
        {
            bytes = bytes[Utf8Bom.Length..];
        }

        // UTF-16 never needs more code units than UTF-8 needs bytes.
        var chars = new char[bytes.Length];
        var status = Utf8.ToUtf16(bytes, chars, out var read, out var written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            throw new LayerBuildException(DiagnosticCodes.YamlSyntax, PositionAfter(chars.AsSpan(0, written), file),
                $"YAML syntax error: byte 0x{bytes[read]:X2} is not valid UTF-8; save the recipe as UTF-8");
        }

        return new string(chars, 0, written);
    }

    /// <summary>Throws at the first character YAML does not allow in a stream.</summary>
    public static void CheckCharacters(string text, string file)
    {
        var span = text.AsSpan();
        for (var i = span.IndexOfAny(Suspect); i >= 0; i = Next(span, i))
        {
            var c = span[i];
            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                continue;
            }

            var what = c switch
            {
                '\0' => "a NUL character (U+0000)",
                _ when char.IsSurrogate(c) => $"a lone surrogate U+{(int)c:X4}, which is not Unicode text",
                _ when char.IsControl(c) => $"the control character U+{(int)c:X4}",
                _ => $"the noncharacter U+{(int)c:X4}",
            };
            throw new LayerBuildException(DiagnosticCodes.YamlSyntax, PositionAfter(span[..i], file),
                $"YAML syntax error: the recipe holds {what}, which YAML does not allow in a file; inside double quotes, write it as an escape such as \"\\x01\"");
        }
    }

    /// <summary>The next suspect character after <paramref name="i"/>, skipping the low half of a pair.</summary>
    private static int Next(ReadOnlySpan<char> span, int i)
    {
        var from = char.IsHighSurrogate(span[i]) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]) ? i + 2 : i + 1;
        var next = span[from..].IndexOfAny(Suspect);
        return next < 0 ? -1 : from + next;
    }

    /// <summary>
    /// The line and column just after <paramref name="before"/>, counted as YamlDotNet counts them: one
    /// column per UTF-16 code unit, and CR LF, CR, LF, NEL, U+2028 and U+2029 each end a line.
    /// </summary>
    public static SourcePosition PositionAfter(ReadOnlySpan<char> before, string file)
    {
        int line = 1, column = 1;
        for (var i = 0; i < before.Length; i++)
        {
            switch (before[i])
            {
                case '\r' when i + 1 < before.Length && before[i + 1] == '\n':
                    break;
                case '\r' or '\n' or '\u0085' or '\u2028' or '\u2029':
                    line++;
                    column = 1;
                    break;
                default:
                    column++;
                    break;
            }
        }

        return new SourcePosition(file, line, column);
    }
}
