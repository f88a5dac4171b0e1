using System.Text;

namespace LayerBuilder.Tests.Support;

/// <summary>
/// A deliberately small tar block parser written for the tests from the POSIX ustar/pax description
/// (not from LayerBuilder's writer): verifies checksums and PAX record lengths as it goes.
/// </summary>
public static class RawTar
{
    public const int BlockSize = 512;

    /// <summary>Every header of <paramref name="tar"/>, in order, up to the end-of-archive blocks.</summary>
    public static List<RawTarHeader> Headers(byte[] tar)
    {
        var headers = new List<RawTarHeader>();
        long? paxSize = null;
        var offset = 0L;
        while (offset + BlockSize <= tar.Length)
        {
            var block = tar.AsSpan((int)offset, BlockSize);
            if (!block.ContainsAnyExcept((byte)0))
            {
                break;
            }

            Assert.That(Checksum(block), Is.EqualTo(StoredChecksum(block)), $"header checksum at offset {offset}");
            var type = (char)block[156];
            var size = Number(block.Slice(124, 12));
            var records = new List<KeyValuePair<string, string>>();
            var data = tar.AsSpan((int)(offset + BlockSize), (int)Math.Min(size, tar.Length - offset - BlockSize));
            if (type == 'x' || type == 'g')
            {
                records = PaxRecords(data);
            }
            else if (paxSize is { } fromPax)
            {
                size = fromPax;
            }

            headers.Add(new RawTarHeader(offset, Text(block[..100]), type, size, Text(block.Slice(265, 32)), Text(block.Slice(297, 32)), records));
            paxSize = type == 'x' && records.LastOrDefault(r => r.Key == "size") is { Key: not null } s ? long.Parse(s.Value) : null;
            var dataBlocks = type is '5' or '1' or '2' ? 0 : (size + BlockSize - 1) / BlockSize;
            offset += BlockSize + (dataBlocks * BlockSize);
        }

        return headers;
    }

    /// <summary>Parses "LEN KEY=VALUE\n" records, checking that every LEN counts its own record exactly.</summary>
    public static List<KeyValuePair<string, string>> PaxRecords(ReadOnlySpan<byte> body)
    {
        var records = new List<KeyValuePair<string, string>>();
        var at = 0;
        while (at < body.Length)
        {
            var space = body[at..].IndexOf((byte)' ');
            Assert.That(space, Is.GreaterThan(0), "PAX record without a length");
            var length = int.Parse(Encoding.ASCII.GetString(body.Slice(at, space)));
            var record = body.Slice(at, length);
            Assert.That(record[^1], Is.EqualTo((byte)'\n'), $"PAX record at {at} is not {length} bytes long");
            var text = Encoding.UTF8.GetString(record[(space + 1)..^1]);
            var eq = text.IndexOf('=');
            records.Add(new(text[..eq], text[(eq + 1)..]));
            at += length;
        }

        return records;
    }

    /// <summary>An octal field, or a GNU base-256 one when its first byte has the high bit set.</summary>
    public static long Number(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0)
        {
            long value = field[0] & 0x7F;
            foreach (var b in field[1..])
            {
                value = (value << 8) | b;
            }

            return value;
        }

        var text = Encoding.ASCII.GetString(field).Trim('\0', ' ');
        return text.Length == 0 ? 0 : Convert.ToInt64(text, 8);
    }

    public static string Text(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    /// <summary>The sum of all header bytes with the checksum field counted as spaces.</summary>
    public static long Checksum(ReadOnlySpan<byte> block)
    {
        long sum = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            sum += i is >= 148 and < 156 ? (byte)' ' : block[i];
        }

        return sum;
    }

    private static long StoredChecksum(ReadOnlySpan<byte> block) => Number(block.Slice(148, 8));
}
