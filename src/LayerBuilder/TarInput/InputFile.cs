using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;

namespace LayerBuilder.TarInput;

/// <summary>
/// Refuses an input path that is not a regular file before it is opened: opening a named pipe blocks
/// until something writes to it (the build would hang forever), and a device or socket is no tar.
/// Symlinks are followed, as opening would. Linux only: elsewhere the BCL cannot tell these apart.
/// </summary>
internal static class InputFile
{
    public static void RefuseNonRegular(TarInputSource source)
    {
        string? kind;
        try
        {
            kind = NonRegularKind(source.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw source.Error(source.Unreadable, $"cannot be read: {e.Message}");
        }

        if (kind is not null)
        {
            throw source.Error(DiagnosticCodes.UnsupportedEntry, $"is {kind}, not a regular file; give a tar file");
        }
    }

    /// <summary>What the file at <paramref name="path"/> is when it is not a regular file, or null.</summary>
    public static string? NonRegularKind(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var final = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        var info = HostFileInfo.Stat(final);
        return info.IsSocket ? "a socket" : info.Kind switch
        {
            EntryKind.Fifo => "a named pipe (FIFO)",
            EntryKind.CharDevice => "a character device",
            EntryKind.BlockDevice => "a block device",
            EntryKind.Directory => "a folder",
            _ => null,
        };
    }
}
