using System.Globalization;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Recipe;

/// <summary>
/// Image paths of a recipe may name bytes that are not UTF-8: <c>\xNN</c> (a backslash, <c>x</c> and two
/// hex digits, written literally: in YAML single quotes or plain, or <c>\\x</c> in double quotes, where
/// YAML's own <c>\xNN</c> is a character) is byte NN. The bytes are decoded as the tar will hold them
/// (<see cref="TarText"/>): valid UTF-8 sequences become characters, other bytes stay bytes. A backslash
/// not followed by <c>x</c> is itself (docs/recipe.md, "Names that are not UTF-8").
/// </summary>
internal static class PathEscapes
{
    private const string Marker = "\\x";
    private const int HexDigits = 2;

    public static bool TryUnescape(string text, out string unescaped, out string problem)
    {
        unescaped = text;
        problem = "";
        if (!text.Contains(Marker, StringComparison.Ordinal))
        {
            return true;
        }

        var bytes = new List<byte>(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length;)
        {
            if (string.CompareOrdinal(text, i, Marker, 0, Marker.Length) != 0)
            {
                if (!System.Text.Rune.TryGetRuneAt(text, i, out var rune))
                {
                    // A lone surrogate (only code can pass one): an escaped byte stays that byte.
                    bytes.AddRange(TarText.GetBytes(text[i].ToString()));
                    i++;
                    continue;
                }

                bytes.AddRange(utf8[..rune.EncodeToUtf8(utf8)]);
                i += rune.Utf16SequenceLength;
                continue;
            }

            var digits = i + Marker.Length + HexDigits <= text.Length ? text.AsSpan(i + Marker.Length, HexDigits) : default;
            if (digits.Length != HexDigits || !byte.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                problem = $"'\\x' at character {i + 1} is not followed by two hex digits; write a byte as \\xNN, such as \\xE9";
                return false;
            }

            if (value is 0 or (byte)'/')
            {
                problem = $"\\x{value:X2} would be {(value == 0 ? "a NUL" : "a '/'")} inside a name; a name cannot hold it as a byte";
                return false;
            }

            bytes.Add(value);
            i += Marker.Length + HexDigits;
        }

        unescaped = TarText.GetString(bytes.ToArray());
        return true;
    }
}
