namespace LayerBuilder.Tests.Support;

/// <summary>How a checkout of the same sources can differ between two machines.</summary>
/// <param name="ReverseOrder">Create files and folders in reverse order (a different directory order on disk).</param>
/// <param name="FileMode">Mode of plain files (0644 under umask 022, 0600 under 077).</param>
/// <param name="ExecutableMode">Mode of executables.</param>
/// <param name="FolderMode">Mode of folders.</param>
/// <param name="ModifiedTime">Base time for mtimes; each file gets this plus its own offset.</param>
public sealed record SourceTreeVariant(bool ReverseOrder, int FileMode, int ExecutableMode, int FolderMode, DateTime ModifiedTime)
{
    public static SourceTreeVariant Tidy { get; } = new(false, 0x1A4, 0x1ED, 0x1ED, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));

    public static SourceTreeVariant Scrambled { get; } = new(true, 0x180, 0x1C0, 0x1C0, new DateTime(2030, 6, 15, 12, 0, 0, DateTimeKind.Utc));
}
