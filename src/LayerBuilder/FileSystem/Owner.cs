using System.Globalization;

namespace LayerBuilder.FileSystem;

/// <summary>Numeric ownership. Names never reach a layer: tar headers get empty uname/gname.</summary>
public readonly record struct Owner(int Uid, int Gid)
{
    public static Owner Root { get; } = new(0, 0);

    /// <summary>Parses <c>uid[:gid]</c> (gid defaults to uid, as Docker's --chown does).</summary>
    public static bool TryParse(string text, out Owner owner)
    {
        owner = Root;
        var parts = text.Split(':');
        if (parts.Length is < 1 or > 2 || !TryId(parts[0], out var uid))
        {
            return false;
        }

        var gid = uid;
        if (parts.Length == 2 && !TryId(parts[1], out gid))
        {
            return false;
        }

        owner = new Owner(uid, gid);
        return true;
    }

    private static bool TryId(string s, out int id) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out id) && s.Length <= 10 && id >= 0;

    public override string ToString() => $"{Uid}:{Gid}";
}
