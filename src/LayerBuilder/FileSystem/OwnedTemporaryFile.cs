using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.FileSystem;

/// <summary>
/// Creates a temporary file with its owner's lock held (<see cref="OwnerLock"/>), for every temporary a
/// concurrent build may sweep: the archive's beside <c>-o</c>, the layer cache's and the pull store's.
/// </summary>
/// <remarks>A file exists a moment before it is locked. A concurrent build's sweep can take it for a
/// killed build's in that moment and remove it. The runtime's own lock at open then fails
/// (<see cref="OwnerLock.IsSweptWhileCreated"/>), or, where the runtime takes none, the owner's lock says the
/// file is gone (<see cref="OwnerLock.TryHold"/>); either way a file of a new name is made, where the owner
/// would otherwise fail the build or write into a file with no name.</remarks>
internal static class OwnedTemporaryFile
{
    /// <summary>Attempts before the last file is kept whatever its lock says: each lost attempt needs a
    /// sweep to start in a window of microseconds, so a second loss in a row is already unheard of.</summary>
    private const int MaxAttempts = 5;

    /// <summary>Creates a new file at a path <paramref name="nextPath"/> gives (a new name per call) and
    /// holds its lock; returns the path and the open handle.</summary>
    public static (string Path, SafeFileHandle Handle) Create(Func<string> nextPath, FileAccess access, FileShare share)
    {
        for (var attempt = 1; ; attempt++)
        {
            var path = nextPath();
            SafeFileHandle handle;
            try
            {
                handle = File.OpenHandle(path, FileMode.CreateNew, access, share);
            }
            catch (IOException e) when (OwnerLock.IsSweptWhileCreated(e) && attempt < MaxAttempts)
            {
                continue;
            }

            if (OwnerLock.TryHold(handle, path) || attempt == MaxAttempts)
            {
                return (path, handle);
            }

            // Swept: the sweep holds the file's exclusive lock while it removes it, or has removed it already.
            handle.Dispose();
        }
    }
}
