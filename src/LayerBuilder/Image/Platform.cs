using System.Text.RegularExpressions;

namespace LayerBuilder.Image;

/// <summary>An image platform <c>os/architecture[/variant]</c> as in the config's os/architecture/variant.</summary>
public sealed partial record Platform(string Os, string Architecture, string? Variant)
{
    public static Platform LinuxAmd64 { get; } = new("linux", "amd64", null);

    public static bool TryParse(string text, out Platform platform)
    {
        platform = LinuxAmd64;
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => !Component().IsMatch(p)))
        {
            return false;
        }

        platform = new Platform(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
        return true;
    }

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex Component();
}
