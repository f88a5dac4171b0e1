namespace LayerBuilder.TarInput;

/// <summary>
/// The limits every tar LayerBuilder reads is held to (docs/diagnostics.md, LB2022 and LB2023). They are
/// checked on the 512-byte header, before any of the bytes they describe are read or buffered.
/// </summary>
internal static class TarInputLimits
{
    /// <summary>The largest GNU long name or long link name ('L', 'K') and PAX header ('x', 'g'): 1 MiB.
    /// These are held in memory whole; a real name is at most a few KiB (PATH_MAX is 4 KiB).</summary>
    public const long MaxMetadataBytes = 1 << 20;

    /// <summary>The largest entry size: 2^53 bytes (8 PiB), far beyond any file and far from where offset
    /// arithmetic overflows.</summary>
    public const long MaxEntryBytes = 1L << 53;

    /// <summary>Seconds since 1970 that a time can hold: the range of <see cref="DateTimeOffset"/>
    /// (years 1 to 9999), which is what the tar library converts times to.</summary>
    public static readonly long MinUnixSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();

    public static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();
}
