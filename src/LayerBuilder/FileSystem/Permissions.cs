namespace LayerBuilder.FileSystem;

/// <summary>
/// File permission bits (the low 12 bits of st_mode: setuid, setgid, sticky, rwx for user/group/other).
/// Recipes spell them in octal, as chmod does: "0755", "755", "4755".
/// </summary>
internal static class Permissions
{
    public const int DefaultFile = 0x1A4; // 0644
    public const int DefaultExecutable = 0x1ED; // 0755
    public const int DefaultDirectory = 0x1ED; // 0755
    public const int Mask = 0xFFF; // 07777

    public static bool TryParseOctal(string text, out int mode)
    {
        mode = 0;
        if (text.Length is < 3 or > 5)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }
        }

        mode = Convert.ToInt32(text, 8);
        return mode <= Mask;
    }

    /// <summary>Docker COPY's rule for host files: keep only whether the owner may execute.</summary>
    public static int FromHostFile(int hostMode) => (hostMode & 0x40) != 0 ? DefaultExecutable : DefaultFile;

    public static string ToOctal(int mode) => "0" + Convert.ToString(mode & Mask, 8).PadLeft(3, '0');

}
