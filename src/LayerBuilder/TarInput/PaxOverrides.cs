using System.Globalization;
using System.Text;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.TarInput;

/// <summary>
/// Reads a PAX extended header ('x', at most <see cref="TarInputLimits.MaxMetadataBytes"/>) the way the
/// tar library will: the "size" record replaces the size of the next header, so the guard needs it to
/// know where that header's data ends. Numeric records are range-checked as the header fields are, and
/// GNU sparse records (which describe a file the layer could not hold) are refused.
/// </summary>
internal static class PaxOverrides
{
    private const string SparsePrefix = "GNU.sparse.";

    /// <summary>The size the next entry has, or null when the records leave it to the header.</summary>
    public static long? Size(ReadOnlySpan<byte> records)
    {
        long? size = null;
        while (records.Length > 0)
        {
            var space = records.IndexOf((byte)' ');
            if (space <= 0 || !int.TryParse(records[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var length) ||
                length <= space + 1 || length > records.Length || records[length - 1] != (byte)'\n')
            {
                throw new TarInputException(DiagnosticCodes.InputDamaged, "a PAX extended header has a malformed record");
            }

            var record = records[(space + 1)..(length - 1)];
            records = records[length..];
            var equals = record.IndexOf((byte)'=');
            if (equals < 0)
            {
                throw new TarInputException(DiagnosticCodes.InputDamaged, "a PAX extended header has a record without '='");
            }

            var key = Encoding.UTF8.GetString(record[..equals]);
            var value = record[(equals + 1)..];
            if (value.IsEmpty)
            {
                continue; // "key=" removes a global value; it sets nothing
            }

            switch (key)
            {
                case "size":
                    size = Whole(key, value, 0, TarInputLimits.MaxEntryBytes);
                    break;
                case "uid" or "gid" or "devmajor" or "devminor" or "mode":
                    Whole(key, value, 0, int.MaxValue);
                    break;
                case "mtime" or "atime" or "ctime":
                    Time(key, value);
                    break;
                default:
                    if (key.StartsWith(SparsePrefix, StringComparison.Ordinal))
                    {
                        throw new TarInputException(DiagnosticCodes.UnsupportedEntry,
                            $"an entry is a GNU sparse file (PAX record {key}), which a layer cannot hold; repack it with plain entries");
                    }

                    break;
            }
        }

        return size;
    }

    private static long Whole(string key, ReadOnlySpan<byte> value, long min, long max)
    {
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            throw new TarInputException(DiagnosticCodes.InputDamaged,
                $"the PAX record {key}={Printable(value)} is not a whole number in {min}..{max}");
        }

        return number;
    }

    private static void Time(string key, ReadOnlySpan<byte> value)
    {
        if (!decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) ||
            seconds < TarInputLimits.MinUnixSeconds || seconds > TarInputLimits.MaxUnixSeconds)
        {
            throw new TarInputException(DiagnosticCodes.InputDamaged,
                $"the PAX record {key}={Printable(value)} is not a time between year 1 and year 9999");
        }
    }

    private static string Printable(ReadOnlySpan<byte> value)
    {
        const int MaxShown = 40;
        return TarInputFailures.Printable(Encoding.UTF8.GetString(value.Length > MaxShown ? value[..MaxShown] : value));
    }
}
