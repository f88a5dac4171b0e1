using System.Buffers;
using System.Globalization;
using System.Runtime.Intrinsics;
using System.Text;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Layers;

/// <summary>
/// Writes POSIX ustar headers, with a PAX extended header only when a field does not fit (long names and
/// link targets, sizes of 8 GiB and more, large ids or times, xattrs). Every byte comes from the entry:
/// empty uname/gname, no atime/ctime records, a fixed PAX header name (no process id), records sorted.
/// See docs/decisions.md for why this is not a library's tar writer.
/// </summary>
internal static class TarHeaderWriter
{
    public const int BlockSize = UstarFields.BlockLength;

    /// <summary>The PAX record key of an extended attribute is this and its name (the form GNU tar, Go and the engines use).</summary>
    public const string XattrPrefix = "SCHILY.xattr.";

    /// <summary>First byte of a numeric field in GNU base-256 form (a value too large for octal).</summary>
    private const byte Base256Flag = 0x80;

    // C# has no octal literals: these are octal 77777777777 (8 GiB - 1) and 7777777, the largest
    // values 11 and 7 octal digits hold.
    private const long MaxOctal11 = (1L << 33) - 1;
    private const long MaxOctal7 = (1L << 21) - 1;

    /// <summary>Writes the header block(s) of one entry; the caller writes content and padding.</summary>
    public static void WriteHeader(Stream output, LayerEntry entry)
    {
        Span<byte> block = stackalloc byte[BlockSize];
        if (TryFormatPlainHeader(entry, block))
        {
            output.Write(block);
            return;
        }

        WriteHeader(output, entry, 0);
    }

    /// <summary>The length of the header <see cref="WriteHeader(Stream, LayerEntry)"/> writes, without
    /// formatting it when it is one plain block (nearly always).</summary>
    public static long HeaderLength(LayerEntry entry)
    {
        if (MayBePlain(entry) && FitsUstar(entry.Path.Value, (entry.Kind == EntryKind.Directory ? 1 : 0) - 1) &&
            FitsUstar(entry.Kind == EntryKind.Symlink ? entry.LinkTarget : null, 0))
        {
            return BlockSize;
        }

        // Rare (long names, big numbers, xattrs): write it and count.
        using var header = new MemoryStream();
        WriteHeader(header, entry, 0);
        return header.Length;
    }

    /// <summary>
    /// The common case without a single allocation: one ustar block for a name and link target that fit
    /// their fields, numbers that fit in octal, no xattrs. Everything else (and whiteouts and hard links,
    /// whose names are derived) takes the general path, which writes the same bytes for these entries.
    /// </summary>
    private static bool TryFormatPlainHeader(LayerEntry entry, Span<byte> block)
    {
        if (!MayBePlain(entry))
        {
            return false;
        }

        var path = entry.Path.Value;
        block.Clear();
        var folder = entry.Kind == EntryKind.Directory ? 1 : 0;
        if (!TarText.TryGetBytes(path.AsSpan(1), block[..(UstarFields.NameLength - folder)], out var nameLength))
        {
            return false;
        }

        if (folder == 1)
        {
            block[nameLength] = (byte)'/';
        }

        if (entry.Kind == EntryKind.Symlink && entry.LinkTarget is { } target && !TarText.TryGetBytes(target, block.Slice(UstarFields.LinkNameOffset, UstarFields.LinkNameLength), out _))
        {
            return false;
        }

        FillFields(block, entry, entry.Size);
        return true;
    }

    /// <summary>Everything but the lengths of name and link target allows one plain block: numbers fit in
    /// octal, no xattrs, and a name that is the path itself (not a whiteout's, a hard link's or the root's,
    /// which are derived).</summary>
    private static bool MayBePlain(LayerEntry entry) =>
        entry.Xattrs is null && entry.Size <= MaxOctal11 && entry.Owner.Uid <= MaxOctal7 && entry.Owner.Gid <= MaxOctal7 &&
        entry.ModifiedTime is >= 0 and <= MaxOctal11 && entry.ModifiedFraction == 0 &&
        entry.Kind is not (EntryKind.Whiteout or EntryKind.OpaqueWhiteout or EntryKind.Hardlink) &&
        entry.Path.Value.Length > 1;

    private static bool FitsUstar(string? text, int extra) =>
        text is null || (text.Length + extra <= UstarFields.NameLength && TarText.GetByteCount(text) + extra <= UstarFields.NameLength);

    /// <summary>
    /// Writes the header of one entry taking exactly <paramref name="exactLength"/> bytes (a multiple of
    /// the block size, at least three blocks): a PAX header whose <c>comment</c> record fills the room,
    /// so the entry's content starts where the caller needs it. 0 writes the shortest header.
    /// </summary>
    public static void WriteHeader(Stream output, LayerEntry entry, int exactLength)
    {
        var name = entry.TarName;
        var link = entry.Kind switch
        {
            EntryKind.Symlink => entry.LinkTarget ?? "",
            EntryKind.Hardlink => ImagePath.Parse(entry.LinkTarget ?? "/").TarName,
            _ => "",
        };
        var size = entry.Size;

        // Most entries need no PAX header; the record table is only made for those that do.
        SortedDictionary<string, byte[]>? records = null;
        void Record(string key, byte[] value) => (records ??= new(StringComparer.Ordinal))[key] = value;

        var nameBytes = TarText.GetBytes(name);
        var linkBytes = link.Length == 0 ? [] : TarText.GetBytes(link);
        if (nameBytes.Length > UstarFields.NameLength)
        {
            Record("path", nameBytes);
        }

        if (linkBytes.Length > UstarFields.LinkNameLength)
        {
            Record("linkpath", linkBytes);
        }

        if (size > MaxOctal11)
        {
            Record("size", Ascii(size));
        }

        if (entry.Owner.Uid > MaxOctal7)
        {
            Record("uid", Ascii(entry.Owner.Uid));
        }

        if (entry.Owner.Gid > MaxOctal7)
        {
            Record("gid", Ascii(entry.Owner.Gid));
        }

        if (entry.ModifiedTime is < 0 or > MaxOctal11 || entry.ModifiedFraction != 0)
        {
            Record("mtime", Encoding.ASCII.GetBytes(EntryTime.PaxText(entry.ModifiedTime, entry.ModifiedFraction)));
        }

        if (entry.Xattrs is not null)
        {
            foreach (var (key, value) in entry.Xattrs)
            {
                Record(XattrPrefix + key, value);
            }
        }

        if (exactLength > 0)
        {
            if (exactLength % BlockSize != 0 || exactLength < 3 * BlockSize)
            {
                throw new ArgumentOutOfRangeException(nameof(exactLength), exactLength, "a padded header is whole blocks, at least three");
            }

            Record("comment", Filler(exactLength - (2 * BlockSize) - BodyLength(records)));
        }

        if (records is not null)
        {
            WritePaxHeader(output, name, records, entry.ModifiedTime);
        }

        Span<byte> block = stackalloc byte[BlockSize];
        block.Clear();
        PutBytes(block[..UstarFields.NameLength], nameBytes);
        PutBytes(block.Slice(UstarFields.LinkNameOffset, UstarFields.LinkNameLength), linkBytes);
        FillFields(block, entry, size);
        output.Write(block);
    }

    /// <summary>Every field but the name and link target, then the checksum.</summary>
    private static void FillFields(Span<byte> block, LayerEntry entry, long size)
    {
        PutOctal(block.Slice(UstarFields.ModeOffset, UstarFields.ModeLength), entry.Mode & Permissions.Mask);
        PutOctal(block.Slice(UstarFields.UidOffset, UstarFields.IdLength), Math.Min(entry.Owner.Uid, MaxOctal7));
        PutOctal(block.Slice(UstarFields.GidOffset, UstarFields.IdLength), Math.Min(entry.Owner.Gid, MaxOctal7));
        PutNumber12(block.Slice(UstarFields.SizeOffset, UstarFields.SizeLength), size);
        PutOctal(block.Slice(UstarFields.MTimeOffset, UstarFields.TimeLength), Math.Clamp(entry.ModifiedTime, 0, MaxOctal11));
        block[UstarFields.TypeFlagOffset] = TypeFlag(entry.Kind);
        "ustar\0"u8.CopyTo(block.Slice(UstarFields.MagicOffset, UstarFields.MagicLength));
        "00"u8.CopyTo(block.Slice(UstarFields.VersionOffset, UstarFields.VersionLength));
        if (entry.Kind is EntryKind.CharDevice or EntryKind.BlockDevice)
        {
            PutOctal(block.Slice(UstarFields.DevMajorOffset, UstarFields.DeviceLength), entry.DeviceMajor);
            PutOctal(block.Slice(UstarFields.DevMinorOffset, UstarFields.DeviceLength), entry.DeviceMinor);
        }

        PutChecksum(block);
    }

    /// <summary>How many zero bytes bring <paramref name="size"/> content bytes to a block boundary.</summary>
    public static int PaddingLength(long size) => (int)((BlockSize - (size % BlockSize)) % BlockSize);

    /// <summary><paramref name="size"/> content bytes with their padding: what they occupy in a tar.</summary>
    public static long PaddedLength(long size) => size + PaddingLength(size);

    /// <summary>Zero padding that brings <paramref name="size"/> content bytes to a block boundary.</summary>
    public static void WritePadding(Stream output, long size)
    {
        var pad = PaddingLength(size);
        if (pad > 0)
        {
            Span<byte> zeros = stackalloc byte[BlockSize];
            zeros.Clear();
            output.Write(zeros[..pad]);
        }
    }

    /// <summary>The end-of-archive marker: two zero blocks (an empty layer is exactly these 1024 bytes).</summary>
    public static void WriteEnd(Stream output)
    {
        Span<byte> zeros = stackalloc byte[BlockSize * 2];
        zeros.Clear();
        output.Write(zeros);
    }

    private static byte TypeFlag(EntryKind kind) => kind switch
    {
        EntryKind.File or EntryKind.Whiteout or EntryKind.OpaqueWhiteout => (byte)'0',
        EntryKind.Hardlink => (byte)'1',
        EntryKind.Symlink => (byte)'2',
        EntryKind.CharDevice => (byte)'3',
        EntryKind.BlockDevice => (byte)'4',
        EntryKind.Directory => (byte)'5',
        EntryKind.Fifo => (byte)'6',
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The value of a comment record that is exactly <paramref name="recordLength"/> bytes long.</summary>
    private static byte[] Filler(int recordLength)
    {
        // "LEN comment=VALUE\n": the value is what is left after the length's digits, a space, the key, '=' and '\n'.
        var valueLength = recordLength - Digits(recordLength) - "comment".Length - 3;
        if (valueLength < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(recordLength), recordLength, "no comment record fits in the room left");
        }

        var value = new byte[valueLength];
        value.AsSpan().Fill((byte)' ');
        var note = "padding: the content starts at a page boundary"u8;
        note[..Math.Min(note.Length, valueLength)].CopyTo(value);
        return value;
    }

    private static int BodyLength(SortedDictionary<string, byte[]>? records)
    {
        var total = 0;
        if (records is not null)
        {
            foreach (var (key, value) in records)
            {
                total += RecordLength(key, value);
            }
        }

        return total;
    }

    /// <summary>A record is "LEN KEY=VALUE\n" where LEN counts its own digits too.</summary>
    private static int RecordLength(string key, byte[] value)
    {
        var rest = TarText.GetByteCount(key) + value.Length + 3;
        var len = rest + Digits(rest);
        return Digits(len) != Digits(rest) ? rest + Digits(len) : len;
    }

    private static void WritePaxHeader(Stream output, string name, SortedDictionary<string, byte[]> records, long mtime)
    {
        var body = new ArrayBufferWriter<byte>();
        foreach (var (key, value) in records)
        {
            var len = RecordLength(key, value);
            body.Write(TarText.GetBytes(len.ToString(CultureInfo.InvariantCulture) + " " + key + "="));
            body.Write(value);
            body.Write("\n"u8);
        }

        // Go's archive/tar convention: "<dir>/PaxHeaders.0/<base>"; fixed, so no process id leaks in.
        var trimmed = name.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        var paxName = slash < 0 ? "PaxHeaders.0/" + trimmed : trimmed[..slash] + "/PaxHeaders.0/" + trimmed[(slash + 1)..];
        var paxNameBytes = TarText.GetBytes(paxName);

        Span<byte> block = stackalloc byte[BlockSize];
        block.Clear();
        PutBytes(block[..UstarFields.NameLength], paxNameBytes.AsSpan(0, Math.Min(UstarFields.NameLength, paxNameBytes.Length)));
        PutOctal(block.Slice(UstarFields.ModeOffset, UstarFields.ModeLength), Permissions.DefaultFile);
        PutOctal(block.Slice(UstarFields.UidOffset, UstarFields.IdLength), 0);
        PutOctal(block.Slice(UstarFields.GidOffset, UstarFields.IdLength), 0);
        PutNumber12(block.Slice(UstarFields.SizeOffset, UstarFields.SizeLength), body.WrittenCount);
        PutOctal(block.Slice(UstarFields.MTimeOffset, UstarFields.TimeLength), Math.Clamp(mtime, 0, MaxOctal11));
        block[UstarFields.TypeFlagOffset] = (byte)'x';
        "ustar\0"u8.CopyTo(block.Slice(UstarFields.MagicOffset, UstarFields.MagicLength));
        "00"u8.CopyTo(block.Slice(UstarFields.VersionOffset, UstarFields.VersionLength));
        PutChecksum(block);
        output.Write(block);
        output.Write(body.WrittenSpan);
        WritePadding(output, body.WrittenCount);
    }

    private static int Digits(int n) => n.ToString(CultureInfo.InvariantCulture).Length;

    private static byte[] Ascii(long value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    private static void PutBytes(Span<byte> field, ReadOnlySpan<byte> value) =>
        value[..Math.Min(value.Length, field.Length)].CopyTo(field);

    /// <summary>Zero-padded octal with a trailing NUL, the form GNU tar and Go write.</summary>
    private static void PutOctal(Span<byte> field, long value)
    {
        var digits = field.Length - 1;
        for (var i = digits - 1; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }

        field[digits] = 0;
    }

    /// <summary>Octal when it fits, else GNU base-256 (the PAX size record is authoritative anyway).</summary>
    private static void PutNumber12(Span<byte> field, long value)
    {
        if (value <= MaxOctal11)
        {
            PutOctal(field, value);
            return;
        }

        field.Clear();
        field[0] = Base256Flag;
        for (var i = field.Length - 1; i > 0 && value > 0; i--)
        {
            field[i] = (byte)(value & 0xFF);
            value >>= 8;
        }
    }

    private static void PutChecksum(Span<byte> block)
    {
        block.Slice(UstarFields.ChecksumOffset, UstarFields.ChecksumLength).Fill((byte)' ');
        var sum = ByteSum(block);

        // Six octal digits, NUL, space: the historical layout every reader accepts.
        const int Digits = 6;
        for (var i = Digits - 1; i >= 0; i--)
        {
            block[UstarFields.ChecksumOffset + i] = (byte)('0' + (sum & 7));
            sum >>= 3;
        }

        block[UstarFields.ChecksumOffset + Digits] = 0;
        block[UstarFields.ChecksumOffset + Digits + 1] = (byte)' ';
    }

    /// <summary>The sum of a block's bytes, sixteen at a time: this runs for every entry of every layer.</summary>
    private static int ByteSum(ReadOnlySpan<byte> block)
    {
        var total = Vector128<uint>.Zero;
        for (var i = 0; i < block.Length; i += 16)
        {
            var (low, high) = Vector128.Widen(Vector128.Create(block.Slice(i, 16)));
            var (a, b) = Vector128.Widen(low + high);
            total += a + b;
        }

        return (int)Vector128.Sum(total);
    }
}
