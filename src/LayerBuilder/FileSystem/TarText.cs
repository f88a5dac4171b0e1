using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace LayerBuilder.FileSystem;

/// <summary>
/// Names in a tar are bytes, usually UTF-8 but not always. LayerBuilder holds them as strings in which
/// each byte that is not part of valid UTF-8 is the lone surrogate U+DC00 + the byte (U+DC80..U+DCFF,
/// the "surrogateescape" form of PEP 383), so every byte string has exactly one string and back: a name
/// with a Latin-1 byte leaves the build with that byte (docs/recipe.md, "Names that are not UTF-8").
/// </summary>
internal static class TarText
{
    /// <summary>The first escaped byte: bytes below 0x80 are ASCII, always valid UTF-8.</summary>
    private const char FirstEscape = '\uDC80';
    private const char LastEscape = '\uDCFF';
    private const int EscapeBase = 0xDC00;
    private const int StackLimit = 512;

    /// <summary>Whether <paramref name="text"/> holds a byte that is not UTF-8.</summary>
    public static bool HasEscapes(ReadOnlySpan<char> text) => text.IndexOfAnyInRange(FirstEscape, LastEscape) >= 0;

    /// <summary>The character that stands for byte <paramref name="value"/> (0x80 or more) outside UTF-8.</summary>
    public static char Escape(byte value) => (char)(EscapeBase + value);

    /// <summary>The bytes of <paramref name="text"/>: UTF-8, escaped bytes as themselves.</summary>
    public static byte[] GetBytes(string text)
    {
        if (!HasEscapes(text))
        {
            return Encoding.UTF8.GetBytes(text);
        }

        var buffer = new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        TryGetBytes(text, buffer, out var written);
        return buffer[..written];
    }

    /// <summary>The number of bytes <see cref="GetBytes"/> gives.</summary>
    public static int GetByteCount(string text)
    {
        if (!HasEscapes(text))
        {
            return Encoding.UTF8.GetByteCount(text);
        }

        return GetBytes(text).Length;
    }

    /// <summary>Writes the bytes of <paramref name="text"/> into <paramref name="destination"/>; false when they do not fit.</summary>
    public static bool TryGetBytes(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        while (true)
        {
            var status = Utf8.FromUtf16(text, destination[written..], out var read, out var wrote, replaceInvalidSequences: false);
            written += wrote;
            text = text[read..];
            switch (status)
            {
                case OperationStatus.Done:
                    return true;
                case OperationStatus.InvalidData when written < destination.Length:
                    // A lone surrogate: an escaped byte is that byte; any other (never from a recipe or a tar) is U+FFFD's bytes.
                    if (text[0] is >= FirstEscape and <= LastEscape)
                    {
                        destination[written++] = (byte)(text[0] - EscapeBase);
                    }
                    else if (!"\uFFFD"u8.TryCopyTo(destination[written..]))
                    {
                        return false;
                    }
                    else
                    {
                        written += "\uFFFD"u8.Length;
                    }

                    text = text[1..];
                    break;
                default:
                    return false;
            }
        }
    }

    /// <summary>The string of tar bytes: UTF-8 decoded, every other byte escaped.</summary>
    public static string GetString(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var builder = new StringBuilder(bytes.Length);
        Span<char> chars = bytes.Length <= StackLimit ? stackalloc char[bytes.Length] : new char[bytes.Length];
        while (!bytes.IsEmpty)
        {
            var status = Utf8.ToUtf16(bytes, chars, out var read, out var written, replaceInvalidSequences: false);
            builder.Append(chars[..written]);
            bytes = bytes[read..];
            if (status == OperationStatus.InvalidData)
            {
                builder.Append(Escape(bytes[0]));
                bytes = bytes[1..];
            }
        }

        return builder.ToString();
    }
}
