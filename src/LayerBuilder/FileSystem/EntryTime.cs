namespace LayerBuilder.FileSystem;

/// <summary>An entry's mtime as a tar keeps it: whole Unix seconds (floor, so negative before 1970) and
/// the 100-ns ticks after them, which is all <see cref="DateTimeOffset"/> holds.</summary>
internal static class EntryTime
{
    public const int TicksPerSecond = (int)TimeSpan.TicksPerSecond;

    /// <summary>Seconds and sub-second ticks of <paramref name="time"/>.</summary>
    public static (long Seconds, int Fraction) Split(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TicksPerSecond, out var rest);
        return rest < 0 ? (seconds - 1, (int)(rest + TicksPerSecond)) : (seconds, (int)rest);
    }

    /// <summary><paramref name="entry"/> with its mtime set to <paramref name="time"/> when there is one.</summary>
    public static LayerEntry Apply(LayerEntry entry, DateTimeOffset? time)
    {
        if (time is not { } t)
        {
            return entry;
        }

        var (seconds, fraction) = Split(t);
        return entry with { ModifiedTime = seconds, ModifiedFraction = fraction };
    }

    /// <summary>The time of a PAX <c>mtime</c> record as GNU tar and Go write it: the seconds, then '.' and the
    /// fraction without trailing zeros; before 1970 a negative decimal (-1.5 is 1.5 s before the epoch).</summary>
    public static string PaxText(long seconds, int fraction)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (fraction == 0)
        {
            return seconds.ToString(invariant);
        }

        var (whole, part, sign) = seconds < 0 ? (-(seconds + 1), TicksPerSecond - fraction, "-") : (seconds, fraction, "");
        return $"{sign}{whole.ToString(invariant)}.{part.ToString("D7", invariant).TrimEnd('0')}";
    }
}
