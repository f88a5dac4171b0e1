using System.Globalization;
using LayerBuilder.FileSystem;
using LayerBuilder.Layers;

namespace LayerBuilder.TarInput;

/// <summary>
/// The fields of the current tar entry that the tar library cannot give exactly, taken from the bytes
/// the guard saw: names that are not UTF-8 (the library decodes them with U+FFFD) and extended attribute
/// values, which are bytes (the library makes strings of them). Names come, in order of precedence, from
/// the PAX <c>path</c>/<c>linkpath</c> record, a GNU long name, or the ustar header.
/// </summary>
internal static class RawEntryFields
{
    private const char Replacement = '\uFFFD';

    /// <summary>The entry's name, byte for byte (<see cref="TarText"/>).</summary>
    public static string Name(TarBlockGuard guard, string decoded) =>
        !decoded.Contains(Replacement) ? decoded : Exact(guard, "path", guard.EntryLongName, TarHeaderBlock.Name(guard.EntryHeader)) ?? decoded;

    /// <summary>The entry's link target, byte for byte.</summary>
    public static string LinkName(TarBlockGuard guard, string decoded) =>
        !decoded.Contains(Replacement) ? decoded : Exact(guard, "linkpath", guard.EntryLongLink, TarHeaderBlock.LinkName(guard.EntryHeader)) ?? decoded;

    /// <summary>The entry's <c>SCHILY.xattr.NAME</c> records, values as the bytes they are; null when it has none.</summary>
    public static SortedDictionary<string, byte[]>? Xattrs(TarBlockGuard guard)
    {
        SortedDictionary<string, byte[]>? result = null;
        foreach (var (key, value) in Records(guard.EntryPax))
        {
            if (key.StartsWith(TarHeaderWriter.XattrPrefix, StringComparison.Ordinal))
            {
                (result ??= new(StringComparer.Ordinal))[key[TarHeaderWriter.XattrPrefix.Length..]] = value;
            }
        }

        return result;
    }

    private static string? Exact(TarBlockGuard guard, string paxKey, byte[]? gnuLong, string header)
    {
        foreach (var (key, value) in Records(guard.EntryPax))
        {
            if (key == paxKey)
            {
                return TarText.GetString(value);
            }
        }

        if (gnuLong is not null)
        {
            var end = Array.IndexOf(gnuLong, (byte)0);
            return TarText.GetString(end < 0 ? gnuLong : gnuLong.AsSpan(0, end));
        }

        return header;
    }

    /// <summary>The records of a PAX header; the guard has checked their form already (PaxOverrides).</summary>
    private static IEnumerable<(string Key, byte[] Value)> Records(byte[]? pax)
    {
        var at = 0;
        while (pax is not null && at < pax.Length)
        {
            var space = Array.IndexOf(pax, (byte)' ', at);
            if (space < 0 || !int.TryParse(pax.AsSpan(at, space - at), NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length <= 0)
            {
                yield break;
            }

            var record = pax.AsMemory((space + 1)..(at + length - 1));
            var equals = record.Span.IndexOf((byte)'=');
            if (equals >= 0)
            {
                yield return (TarText.GetString(record.Span[..equals]), record[(equals + 1)..].ToArray());
            }

            at += length;
        }
    }
}
