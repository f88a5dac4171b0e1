using System.Globalization;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.FileSystem;

/// <summary>
/// An owner as a recipe writes it: <c>uid[:gid]</c> or names (<c>app:app</c>, <c>app</c>), resolved
/// against the image's own /etc/passwd and /etc/group when a step is planned.
/// </summary>
public sealed record OwnerSpec(string User, string? Group, SourcePosition Position = default)
{
    public static OwnerSpec Root { get; } = new("0", "0", SourcePosition.StartOf("defaults"));

    /// <summary>Both parts are numbers: no lookup needed.</summary>
    public Owner? Numeric => numeric ??= IsId(User) && (Group is null || IsId(Group))
        ? new Owner(int.Parse(User, CultureInfo.InvariantCulture), int.Parse(Group ?? User, CultureInfo.InvariantCulture))
        : null;

    // Asked once per entry written; parsed once.
    private Owner? numeric;

    public static bool TryParse(string text, SourcePosition position, out OwnerSpec spec)
    {
        spec = Root;
        var parts = text.Split(':');
        if (parts.Length > 2 || parts.Any(p => !IsId(p) && !IsName(p)))
        {
            return false;
        }

        spec = new OwnerSpec(parts[0], parts.Length == 2 ? parts[1] : null, position);
        return true;
    }

    internal static bool IsId(string s) =>
        s.Length is > 0 and <= 10 && s.All(char.IsAsciiDigit) && long.Parse(s, CultureInfo.InvariantCulture) <= int.MaxValue;

    /// <summary>POSIX portable user names (plus '$' at the end, for machine accounts).</summary>
    private static bool IsName(string s) =>
        s.Length is > 0 and <= 32 && (char.IsAsciiLetter(s[0]) || s[0] == '_') &&
        s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' || c == '$');

    public override string ToString() => Group is null ? User : $"{User}:{Group}";
}
