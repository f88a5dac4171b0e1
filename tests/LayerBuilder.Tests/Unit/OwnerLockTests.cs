using System.Runtime.InteropServices;
using LayerBuilder.FileSystem;
using LayerBuilder.Tests.Support;
using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.Tests.Unit;

/// <summary>
/// A temporary file is created a moment before its owner locks it; a concurrent build's sweep can take it
/// for a killed build's in that moment. The owner's lock must then say the file is lost, and
/// <see cref="OwnedTemporaryFile"/> must hand out only files that a sweep can no longer take.
/// </summary>
[TestFixture]
[Platform(Exclude = "Win")]
public sealed partial class OwnerLockTests
{
    private const int WriteOnly = 1; // O_WRONLY
    [Test]
    public void A_lock_taken_while_a_sweep_removes_the_file_says_it_is_lost()
    {
        using var folder = new TempDirectory();
        var path = folder.WriteFile("a.partial", "x");
        using var handle = OpenWithoutLock(path);
        bool? heldDuringSweep = null;

        var removed = OwnerLock.RemoveIfAbandoned(path, () =>
        {
            heldDuringSweep = OwnerLock.TryHold(handle, path);
            File.Delete(path);
        });

        Assert.That(removed, Is.True, "an unlocked file is taken for abandoned");
        Assert.That(heldDuringSweep, Is.False, "the sweep holds the file while it removes it");
    }

    [Test]
    public void A_lock_taken_after_a_sweep_removed_the_file_says_it_is_lost()
    {
        using var folder = new TempDirectory();
        var path = folder.WriteFile("a.partial", "x");
        using var handle = OpenWithoutLock(path);
        File.Delete(path);

        Assert.That(OwnerLock.TryHold(handle, path), Is.False);
    }

    [Test]
    public void An_owned_temporary_file_is_left_alone_by_a_sweep()
    {
        using var folder = new TempDirectory();
        var (path, handle) = OwnedTemporaryFile.Create(() => folder.Combine("a.partial"), FileAccess.Write, FileShare.None);
        using (handle)
        {
            Assert.That(OwnerLock.RemoveIfAbandoned(path, () => File.Delete(path)), Is.False);
            Assert.That(File.Exists(path), Is.True);
        }

        Assert.That(OwnerLock.RemoveIfAbandoned(path, () => File.Delete(path)), Is.True, "its owner closed it: abandoned");
        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public void Files_created_while_another_build_sweeps_their_folder_all_survive()
    {
        const int Files = 1000;
        using var folder = new TempDirectory();
        var made = new List<(string Path, SafeFileHandle Handle)>(Files);
        using var stop = new CancellationTokenSource();
        var sweeper = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var partial in Directory.EnumerateFiles(folder.Path, "*.partial"))
                {
                    OwnerLock.RemoveIfAbandoned(partial, () => File.Delete(partial));
                }
            }
        });

        try
        {
            for (var i = 0; i < Files; i++)
            {
                made.Add(OwnedTemporaryFile.Create(() => folder.Combine($"{Guid.NewGuid():N}.partial"), FileAccess.Write, FileShare.None));
            }
        }
        finally
        {
            stop.Cancel();
            sweeper.Wait();
        }

        try
        {
            Assert.That(made.Where(file => !File.Exists(file.Path)).Select(file => file.Path), Is.Empty,
                "every file handed out is still there: the sweep took none after its owner held it");
        }
        finally
        {
            made.ForEach(file => file.Handle.Dispose());
        }
    }

    [Test]
    public void Staging_folders_created_while_another_build_sweeps_them_all_survive()
    {
        const int Folders = 1000;
        using var work = new TempDirectory();
        var made = new List<Build.StagingFolder>(Folders);
        using var stop = new CancellationTokenSource();
        var sweeper = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Build.StagingFolder.RemoveAbandoned(work.Path);
            }
        });

        try
        {
            for (var i = 0; i < Folders; i++)
            {
                made.Add(Build.StagingFolder.Create(work.Path));
            }
        }
        finally
        {
            stop.Cancel();
            sweeper.Wait();
        }

        try
        {
            Assert.That(made.Where(folder => !Directory.Exists(folder.Path)).Select(folder => folder.Path), Is.Empty);
        }
        finally
        {
            made.ForEach(folder => folder.Dispose());
        }
    }

    /// <summary>An open file as it is the moment after its creation: the runtime's own open locks it at once,
    /// so the moment before any lock is made with a plain open(2).</summary>
    private static SafeFileHandle OpenWithoutLock(string path)
    {
        var fd = Open(path, WriteOnly);
        Assert.That(fd, Is.GreaterThanOrEqualTo(0), $"open: errno {Marshal.GetLastPInvokeError()}");
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);
}
