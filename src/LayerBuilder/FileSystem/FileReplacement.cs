using System.Runtime.InteropServices;

namespace LayerBuilder.FileSystem;

/// <summary>
/// Puts a finished file in place of another, atomically: every reader of the path sees the old file or
/// the new one, never neither and never half of one.
/// </summary>
/// <remarks>
/// A plain rename over an existing file makes ext4 (its default <c>auto_da_alloc</c>) allocate every
/// delayed block of the new file inside the rename: 160–180 ms for a 231 MB archive, in every build that
/// replaces its previous output (docs/decisions.md D81). On Linux the two files are swapped instead
/// (<c>renameat2</c> with <c>RENAME_EXCHANGE</c>, atomic just the same) and the old one, now under the
/// temporary's name, is deleted. Where the swap is not possible (no file there yet, a folder or a link
/// there, a file system or kernel without it, any other platform) it is the plain rename it always was.
/// </remarks>
internal static partial class FileReplacement
{
    private const int CurrentFolder = -100; // AT_FDCWD
    private const uint Exchange = 2; // RENAME_EXCHANGE

    /// <summary>Moves <paramref name="source"/> to <paramref name="destination"/>, replacing the file there;
    /// throws as <see cref="File.Move(string, string, bool)"/> does.</summary>
    public static void Replace(string source, string destination)
    {
        if (OperatingSystem.IsLinux() && IsRegularFile(destination) && Native.RenameAt2(CurrentFolder, source, CurrentFolder, destination, Exchange) == 0)
        {
            DeleteDisplaced(source);
            return;
        }

        File.Move(source, destination, overwrite: true);
    }

    /// <summary>Only a regular file is swapped out: a rename over a symbolic link replaces the link, as a
    /// swap would, but a folder there must fail the move as it always did, not be swapped aside.</summary>
    private static bool IsRegularFile(string path)
    {
        try
        {
            return (File.GetAttributes(path) & (FileAttributes.Directory | FileAttributes.ReparsePoint)) == 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The old file, swapped to the temporary's name. Best effort: the new file is in place
    /// whatever happens here, and a later build sweeps a temporary that no build holds.</summary>
    private static void DeleteDisplaced(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // left for the sweep of abandoned temporaries
        }
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int RenameAt2(int oldFolder, string oldPath, int newFolder, string newPath, uint flags);
    }
}
