using LayerBuilder.FileSystem;
using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.Build;

/// <summary>
/// The folder (<c>.layerbuild-GUID</c>) a build keeps its layer files in while it runs, removed when it
/// ends. It holds a lock file that the build keeps locked for its whole life (<see cref="OwnerLock"/>), so
/// that a later build can remove the folders of builds that were killed (SIGKILL, a power loss) and
/// never touches those of a build still running.
/// </summary>
internal sealed class StagingFolder : IDisposable
{
    private const string Prefix = ".layerbuild-";
    private const string LockName = "owner.lock";
    private const int MaxAttempts = 3;

    /// <summary>A folder without a lock file (one a version without locks left) is taken as abandoned only this long after its last change.</summary>
    private static readonly TimeSpan UnlockedGrace = TimeSpan.FromHours(1);

    private readonly SafeFileHandle owner;

    private StagingFolder(string path, SafeFileHandle owner)
    {
        Path = path;
        this.owner = owner;
    }

    public string Path { get; }

    /// <summary>Creates a new staging folder in <paramref name="work"/>, its lock held.</summary>
    /// <remarks>The lock file exists a moment before it is locked; a concurrent build's
    /// <see cref="RemoveAbandoned"/> can take it for abandoned in that moment and remove the folder. The
    /// lock then says so (<see cref="OwnerLock.TryHold"/>, or the runtime's own lock at open fails:
    /// <see cref="OwnerLock.IsSweptWhileCreated"/>) and another folder is made.</remarks>
    public static StagingFolder Create(string work)
    {
        for (var attempt = 1; ; attempt++)
        {
            var path = Directory.CreateDirectory(System.IO.Path.Combine(work, $"{Prefix}{Guid.NewGuid():N}")).FullName;
            var lockFile = System.IO.Path.Combine(path, LockName);
            SafeFileHandle? owner = null;
            try
            {
                owner = File.OpenHandle(lockFile, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite);
                if (OwnerLock.TryHold(owner, lockFile) || attempt == MaxAttempts)
                {
                    return new StagingFolder(path, owner);
                }
            }
            catch (Exception e) when ((e is DirectoryNotFoundException or FileNotFoundException || OwnerLock.IsSweptWhileCreated(e)) && attempt < MaxAttempts)
            {
                // swept away between its creation and the lock file's
            }
            catch
            {
                owner?.Dispose();
                DeleteQuietly(path);
                throw;
            }

            owner?.Dispose();
            DeleteQuietly(path);
        }
    }

    /// <summary>Removes the staging folders in <paramref name="work"/> whose build is gone. Best effort.</summary>
    public static void RemoveAbandoned(string work)
    {
        try
        {
            foreach (var folder in Directory.EnumerateDirectories(work, Prefix + "*"))
            {
                var lockFile = System.IO.Path.Combine(folder, LockName);
                if (File.Exists(lockFile))
                {
                    OwnerLock.RemoveIfAbandoned(lockFile, () => Directory.Delete(folder, recursive: true));
                }
                else if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) > UnlockedGrace)
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // someone else's folder, or one being removed: not this build's business
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // the sweep removed it first
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        finally
        {
            owner.Dispose();
        }
    }
}
