using LayerBuilder.Diagnostics;
using LayerBuilder.Layers;

namespace LayerBuilder.TarInput;

/// <summary>
/// Checks one 512-byte tar header (ustar, GNU, PAX, v7) before the tar library sees it: the checksum,
/// and every numeric field the library converts (size, mode, uid, gid, mtime; device numbers of
/// devices; GNU atime and ctime), each in octal or GNU base-256, within the range its type can hold.
/// Offsets are those of POSIX ustar and GNU tar.
/// </summary>
internal static class TarHeaderBlock
{
    public const int Length = UstarFields.BlockLength;

    private const int NameOffset = UstarFields.NameOffset;
    private const int NameLength = UstarFields.NameLength;
    private const int ModeOffset = UstarFields.ModeOffset;
    private const int UidOffset = UstarFields.UidOffset;
    private const int GidOffset = UstarFields.GidOffset;
    private const int IdLength = UstarFields.IdLength;
    private const int SizeOffset = UstarFields.SizeOffset;
    private const int TimeLength = UstarFields.TimeLength;
    private const int MTimeOffset = UstarFields.MTimeOffset;
    private const int ChecksumOffset = UstarFields.ChecksumOffset;
    private const int ChecksumLength = UstarFields.ChecksumLength;
    private const int TypeOffset = UstarFields.TypeFlagOffset;
    private const int MagicOffset = UstarFields.MagicOffset;
    private const int DevMajorOffset = UstarFields.DevMajorOffset;
    private const int DevMinorOffset = UstarFields.DevMinorOffset;
    private const int PrefixOffset = UstarFields.PrefixOffset;
    private const int PrefixLength = UstarFields.PrefixLength;
    private const int GnuATimeOffset = 345;
    private const int GnuCTimeOffset = 357;
    private const byte Base256Flag = 0x80;
    private const byte Base256Sign = 0x40;

    private static ReadOnlySpan<byte> UstarMagic => "ustar\0"u8;

    private static ReadOnlySpan<byte> GnuMagic => "ustar  \0"u8;

    /// <summary>True when the block is all zeros: the end-of-archive marker.</summary>
    public static bool IsEnd(ReadOnlySpan<byte> block) => !block.ContainsAnyExcept((byte)0);

    /// <summary>True when the block carries a ustar or GNU magic: it was meant as a header.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> block) =>
        block.Slice(MagicOffset, UstarMagic.Length).SequenceEqual(UstarMagic) || block.Slice(MagicOffset, GnuMagic.Length).SequenceEqual(GnuMagic);

    public static char Type(ReadOnlySpan<byte> block) => (char)block[TypeOffset];

    /// <summary>The entry's name as stored in the header (prefix and name), for messages.</summary>
    public static string Name(ReadOnlySpan<byte> block)
    {
        var name = Text(block.Slice(NameOffset, NameLength));
        if (block.Slice(MagicOffset, UstarMagic.Length).SequenceEqual(UstarMagic) && Text(block.Slice(PrefixOffset, PrefixLength)) is { Length: > 0 } prefix)
        {
            name = prefix + "/" + name;
        }

        return name;
    }

    /// <summary>The link target as stored in the header.</summary>
    public static string LinkName(ReadOnlySpan<byte> block) => Text(block.Slice(UstarFields.LinkNameOffset, UstarFields.LinkNameLength));

    /// <summary>True when the stored checksum matches the header's bytes (summed unsigned, or signed as some old tars did).</summary>
    public static bool ChecksumMatches(ReadOnlySpan<byte> block)
    {
        if (!TryNumber(block.Slice(ChecksumOffset, ChecksumLength), out var stored))
        {
            return false;
        }

        long unsigned = 0, signed = 0;
        for (var i = 0; i < Length; i++)
        {
            var b = i is >= ChecksumOffset and < ChecksumOffset + ChecksumLength ? (byte)' ' : block[i];
            unsigned += b;
            signed += (sbyte)b;
        }

        return stored == unsigned || stored == signed;
    }

    /// <summary>Checks the numeric fields and returns the size field; throws <see cref="TarInputException"/> (LB2023) naming the field.</summary>
    public static long CheckedSize(ReadOnlySpan<byte> block)
    {
        var type = Type(block);
        Check(block, ModeOffset, IdLength, "mode", 0, int.MaxValue);
        Check(block, UidOffset, IdLength, "uid", 0, int.MaxValue);
        Check(block, GidOffset, IdLength, "gid", 0, int.MaxValue);
        CheckTime(block, MTimeOffset, "mtime");
        if (type is '3' or '4')
        {
            Check(block, DevMajorOffset, IdLength, "device major", 0, int.MaxValue);
            Check(block, DevMinorOffset, IdLength, "device minor", 0, int.MaxValue);
        }

        if (block.Slice(MagicOffset, GnuMagic.Length).SequenceEqual(GnuMagic))
        {
            CheckTime(block, GnuATimeOffset, "atime");
            CheckTime(block, GnuCTimeOffset, "ctime");
        }

        return Check(block, SizeOffset, TimeLength, "size", 0, TarInputLimits.MaxEntryBytes);
    }

    /// <summary>Reads an octal field (spaces and NULs around the digits) or a GNU base-256 one; false when it is neither or overflows.</summary>
    public static bool TryNumber(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        if (field.Length > 0 && (field[0] & Base256Flag) != 0)
        {
            // Big-endian two's complement in the bits after the flag bit; bit 6 of the first byte is the sign.
            value = (field[0] & Base256Sign) != 0 ? (sbyte)(field[0] | Base256Flag) : field[0] & (Base256Sign - 1);
            foreach (var b in field[1..])
            {
                if (value > (long.MaxValue >> 8) || value < (long.MinValue >> 8))
                {
                    return false;
                }

                value = (value << 8) | b;
            }

            return true;
        }

        var at = 0;
        while (at < field.Length && field[at] == (byte)' ')
        {
            at++;
        }

        for (; at < field.Length && field[at] is >= (byte)'0' and <= (byte)'7'; at++)
        {
            if (value > (long.MaxValue >> 3))
            {
                return false;
            }

            value = (value << 3) | (long)(field[at] - '0');
        }

        return !field[at..].ContainsAnyExcept((byte)' ', (byte)0);
    }

    private static void CheckTime(ReadOnlySpan<byte> block, int offset, string what)
    {
        var field = block.Slice(offset, TimeLength);
        if (field.ContainsAnyExcept((byte)0))
        {
            Check(block, offset, TimeLength, what, TarInputLimits.MinUnixSeconds, TarInputLimits.MaxUnixSeconds);
        }
    }

    private static long Check(ReadOnlySpan<byte> block, int offset, int length, string what, long min, long max)
    {
        if (!TryNumber(block.Slice(offset, length), out var value))
        {
            throw new TarInputException(DiagnosticCodes.InputDamaged, $"the {what} field of the header of '{Printable(block)}' is not a number, or is too large");
        }

        if (value < min || value > max)
        {
            throw new TarInputException(DiagnosticCodes.InputDamaged, $"the {what} of '{Printable(block)}' is {value}, outside {min}..{max}");
        }

        return value;
    }

    private static string Printable(ReadOnlySpan<byte> block) => TarInputFailures.Printable(Name(block));

    private static string Text(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return FileSystem.TarText.GetString(end < 0 ? field : field[..end]);
    }
}
