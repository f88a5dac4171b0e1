using System.Globalization;

namespace LayerBuilder.MSBuild;

/// <summary>The commit time the targets read from git (<c>git log -1 --format=%ct</c>): whole seconds since 1970.</summary>
internal static class CommitTimes
{
    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        if (!long.TryParse((text ?? "").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ||
            seconds <= 0 || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}
