using System.Globalization;
using System.Text.RegularExpressions;

namespace LayerBuilder.Recipe;

/// <summary>Parsers for the small value languages inside a recipe: times, durations, ports, signals.</summary>
internal static partial class ValueParsers
{
    private static readonly string[] Signals =
    [
        "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
        "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
        "VTALRM", "PROF", "WINCH", "IO", "POLL", "PWR", "SYS", "RTMIN", "RTMAX",
    ];

    private static readonly System.Buffers.SearchValues<char> UnitStart = System.Buffers.SearchValues.Create("hmsuµn");

    public static bool TryParseTimestamp(string text, out DateTimeOffset value)
    {
        value = default;
        if (!RfcTimestamp().IsMatch(text) ||
            !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        value = parsed.ToUniversalTime();
        return true;
    }

    /// <summary>An entry's mtime: RFC 3339 or (possibly negative) Unix seconds, each with at most 7 decimal places.</summary>
    public static bool TryParseEntryTime(string text, out DateTimeOffset value)
    {
        value = default;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            var digits = text.AsSpan(dot + 1);
            var end = digits.IndexOfAnyExceptInRange('0', '9');
            if ((end < 0 ? digits.Length : end) > MaxFractionDigits)
            {
                return false;
            }
        }

        if (RfcTimestamp().IsMatch(text))
        {
            return TryParseTimestamp(text, out value);
        }

        if (!UnixSeconds().IsMatch(text) || !decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        var ticks = (seconds * TimeSpan.TicksPerSecond) + DateTimeOffset.UnixEpoch.UtcTicks;
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        value = new DateTimeOffset((long)ticks, TimeSpan.Zero);
        return true;
    }

    /// <summary>100 ns, the resolution of <see cref="DateTimeOffset"/>.</summary>
    private const int MaxFractionDigits = 7;

    public static bool TryParseEpoch(string text, out DateTimeOffset value)
    {
        value = default;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253402300799)
        {
            return false;
        }

        value = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }

    /// <summary>Go-style durations as Docker takes them: "30s", "1m30s", "500ms", "1h". Returns nanoseconds.</summary>
    public static bool TryParseDuration(string text, out long nanoseconds)
    {
        nanoseconds = 0;
        var match = Duration().Match(text);
        if (!match.Success || text.Length == 0)
        {
            return false;
        }

        decimal total = 0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unitStart = part.Value.AsSpan().IndexOfAny(UnitStart);
            var unit = part.Value[unitStart..];
            var factor = unit switch
            {
                "h" => 3_600_000_000_000m,
                "m" => 60_000_000_000m,
                "s" => 1_000_000_000m,
                "ms" => 1_000_000m,
                "us" or "µs" => 1_000m,
                _ => 1m,
            };

            // A number too large for decimal, or a part past long nanoseconds, is out of range, not an overflow.
            if (!decimal.TryParse(part.Value.AsSpan(0, unitStart), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) ||
                number > long.MaxValue / factor)
            {
                return false;
            }

            total += number * factor;
            if (total > long.MaxValue)
            {
                return false;
            }
        }

        nanoseconds = (long)total;
        return true;
    }

    /// <summary>"8080", "8080/tcp", "53/udp" become "8080/tcp", "53/udp" (Docker's ExposedPorts keys).</summary>
    public static bool TryParsePort(string text, out string normalized)
    {
        normalized = "";
        var parts = text.Split('/');
        var proto = parts.Length == 2 ? parts[1].ToLowerInvariant() : "tcp";
        if (parts.Length > 2 || proto is not ("tcp" or "udp" or "sctp") ||
            !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return false;
        }

        normalized = $"{port}/{proto}";
        return true;
    }

    /// <summary>Accepts "SIGTERM", "TERM" or a number 1..64, as Docker's STOPSIGNAL does.</summary>
    public static bool IsSignal(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n is >= 1 and <= 64;
        }

        var name = text.StartsWith("SIG", StringComparison.Ordinal) ? text[3..] : text;
        var plus = name.IndexOfAny(['+', '-']);
        var root = plus > 0 && name.StartsWith("RTM", StringComparison.Ordinal) ? name[..plus] : name;
        return Signals.Contains(root, StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex RfcTimestamp();

    [GeneratedRegex(@"^-?\d+(\.\d+)?$")]
    private static partial Regex UnixSeconds();

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?(h|ms|m|s|us|µs|ns))+$")]
    private static partial Regex Duration();
}
