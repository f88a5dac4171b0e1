namespace LayerBuilder.Layers;

/// <summary>
/// Where the fields of a POSIX ustar header block lie (offsets and lengths in bytes), the names the BCL's
/// <c>System.Formats.Tar</c> uses for them: one table for the header writer and the hardened reader.
/// </summary>
internal static class UstarFields
{
    public const int BlockLength = 512;

    public const int NameOffset = 0;
    public const int NameLength = 100;
    public const int ModeOffset = 100;
    public const int ModeLength = 8;
    public const int UidOffset = 108;
    public const int GidOffset = 116;
    public const int IdLength = 8;
    public const int SizeOffset = 124;
    public const int SizeLength = 12;
    public const int MTimeOffset = 136;
    public const int TimeLength = 12;
    public const int ChecksumOffset = 148;
    public const int ChecksumLength = 8;
    public const int TypeFlagOffset = 156;
    public const int LinkNameOffset = 157;
    public const int LinkNameLength = 100;
    public const int MagicOffset = 257;
    public const int MagicLength = 6;
    public const int VersionOffset = 263;
    public const int VersionLength = 2;
    public const int DevMajorOffset = 329;
    public const int DevMinorOffset = 337;
    public const int DeviceLength = 8;
    public const int PrefixOffset = 345;
    public const int PrefixLength = 155;
}
