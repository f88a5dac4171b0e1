using System.Text;

namespace LayerBuilder.Tests.Hostile;

/// <summary>
/// Writes tar bytes by hand, header field by header field as POSIX ustar and GNU tar lay them out, so a
/// test can make exactly the damaged or hostile archive it means (wrong checksums, base-256 numbers,
/// sizes that lie, long names of any length) without going through the tar library the product reads with.
/// </summary>
public sealed class HandTar
{
    public const int Block = 512;

    private readonly MemoryStream bytes = new();

    /// <summary>A ustar header with the given fields and a correct checksum; <paramref name="edit"/> may change
    /// any byte before the checksum is computed.</summary>
    public static byte[] Header(string name, char type, long size, string linkName = "", Action<byte[]>? edit = null)
    {
        var header = new byte[Block];
        Text(header, 0, 100, name);
        Octal(header, 100, 8, type == '5' ? 0x1ED : 0x1A4);
        Octal(header, 108, 8, 0);
        Octal(header, 116, 8, 0);
        Octal(header, 124, 12, size);
        Octal(header, 136, 12, 1_000_000_000);
        header[156] = (byte)type;
        Text(header, 157, 100, linkName);
        Encoding.ASCII.GetBytes("ustar\0").CopyTo(header, 257);
        Encoding.ASCII.GetBytes("00").CopyTo(header, 263);
        edit?.Invoke(header);
        Seal(header);
        return header;
    }

    /// <summary>Writes the checksum of <paramref name="header"/> as GNU tar does: six octal digits, NUL, space.</summary>
    public static void Seal(byte[] header)
    {
        Array.Fill(header, (byte)' ', 148, 8);
        var sum = header.Sum(b => (long)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
    }

    /// <summary>A GNU base-256 number: 0x80, then the value big-endian in the rest of the field.</summary>
    public static void Base256(byte[] header, int offset, int length, ulong value)
    {
        Array.Clear(header, offset, length);
        header[offset] = 0x80;
        for (var i = offset + length - 1; i > offset && value != 0; i--, value >>= 8)
        {
            header[i] = (byte)value;
        }
    }

    /// <summary>A field made only of 0xFF: the largest base-256 number the field can hold.</summary>
    public static void Huge(byte[] header, int offset, int length) => Array.Fill(header, (byte)0xFF, offset, length);

    public HandTar File(string name, byte[] data, Action<byte[]>? edit = null) => Entry(Header(name, '0', data.Length, edit: edit), data);

    public HandTar File(string name, string text) => File(name, Encoding.UTF8.GetBytes(text));

    public HandTar Folder(string name) => Entry(Header(name, '5', 0), []);

    public HandTar Hardlink(string name, string target) => Entry(Header(name, '1', 0, target), []);

    /// <summary>A GNU 'L' (long name) or 'K' (long link name) header holding <paramref name="text"/>.</summary>
    public HandTar Long(char type, string text)
    {
        var data = Encoding.UTF8.GetBytes(text + "\0");
        return Entry(Header("././@LongLink", type, data.Length, edit: h => h[257..265].AsSpan().Clear()), data);
    }

    /// <summary>A PAX 'x' or 'g' header with the records given, each with its exact length prefix.</summary>
    public HandTar Pax(char type, params (string Key, string Value)[] records)
    {
        var body = new MemoryStream();
        foreach (var (key, value) in records)
        {
            var rest = $" {key}={value}\n";
            var length = Encoding.UTF8.GetByteCount(rest);
            var total = length + length.ToString().Length;
            if (total.ToString().Length != length.ToString().Length)
            {
                total++;
            }

            body.Write(Encoding.UTF8.GetBytes(total + rest));
        }

        return Entry(Header("PaxHeaders/x", type, body.Length), body.ToArray());
    }

    /// <summary>A header followed by <paramref name="data"/> padded to whole blocks (the data may be shorter than the size says).</summary>
    public HandTar Entry(byte[] header, byte[] data)
    {
        bytes.Write(header);
        bytes.Write(data);
        Pad();
        return this;
    }

    /// <summary>Bytes written as they are, with no header.</summary>
    public HandTar Raw(byte[] data)
    {
        bytes.Write(data);
        return this;
    }

    /// <summary>The archive, with the two zero blocks that end it unless <paramref name="end"/> is false.</summary>
    public byte[] ToArray(bool end = true)
    {
        if (end)
        {
            bytes.Write(new byte[2 * Block]);
        }

        return bytes.ToArray();
    }

    private void Pad()
    {
        var rest = (int)(bytes.Length % Block);
        if (rest != 0)
        {
            bytes.Write(new byte[Block - rest]);
        }
    }

    private static void Text(byte[] header, int offset, int length, string value)
    {
        var encoded = Encoding.UTF8.GetBytes(value);
        encoded.AsSpan(0, Math.Min(encoded.Length, length)).CopyTo(header.AsSpan(offset, length));
    }

    private static void Octal(byte[] header, int offset, int length, long value) =>
        Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(length - 1, '0') + "\0").CopyTo(header, offset);
}
