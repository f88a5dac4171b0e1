using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.Archive;

/// <summary>
/// The archive being written: a temporary file beside the output, renamed over it once complete and
/// deleted otherwise, so a failed or cancelled build leaves nothing at the output path. It is opened
/// before the layers are built when the one layer of an image is written straight into it. The file is
/// locked (<see cref="OwnerLock"/>) from its creation until after its rename, so a later build can tell
/// a temporary that a killed build left from one a running build is still writing.
/// </summary>
internal sealed class ArchiveFile : IDisposable
{
    /// <summary>What the temporary's name ends with; a later build removes abandoned ones.</summary>
    public const string PartialSuffix = ".partial";

    private bool committed;

    private ArchiveFile(string outputPath, string tempPath, SafeFileHandle handle)
    {
        OutputPath = outputPath;
        TempPath = tempPath;
        Handle = handle;
    }

    public string OutputPath { get; }

    public string TempPath { get; }

    public SafeFileHandle Handle { get; }

    /// <summary>Opens a new temporary file beside <paramref name="outputPath"/>; failing that, the build
    /// cannot write its output (LB3001).</summary>
    public static ArchiveFile Create(string outputPath)
    {
        try
        {
            var full = Path.GetFullPath(outputPath);
            var (temp, handle) = OwnedTemporaryFile.Create(() => TempPathFor(full), FileAccess.ReadWrite, FileShare.Read);
            return new ArchiveFile(full, temp, handle);
        }
        catch (Exception e) when (WriteFailures.IsWriteFailure(e))
        {
            throw NotWritable(outputPath, e);
        }
    }

    /// <summary>A new temporary name beside <paramref name="fullOutputPath"/>: <c>.NAME.GUID.partial</c>.</summary>
    private static string TempPathFor(string fullOutputPath) =>
        Path.Combine(Path.GetDirectoryName(fullOutputPath)!, $".{Path.GetFileName(fullOutputPath)}.{Guid.NewGuid():N}{PartialSuffix}");

    /// <summary>The pattern of the temporaries of <paramref name="fullOutputPath"/>, for the sweep of abandoned ones.</summary>
    private static string TempPattern(string fullOutputPath) => $".{Path.GetFileName(fullOutputPath)}.*{PartialSuffix}";

    /// <summary>Removes the temporaries of <paramref name="fullOutputPath"/> that killed builds left. Best effort.</summary>
    public static void RemoveAbandoned(string fullOutputPath)
    {
        try
        {
            foreach (var partial in Directory.EnumerateFiles(Path.GetDirectoryName(fullOutputPath)!, TempPattern(fullOutputPath)))
            {
                OwnerLock.RemoveIfAbandoned(partial, () => File.Delete(partial));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a folder this build cannot list fails it later, with the reason
        }
    }

    /// <summary>The archive <paramref name="path"/> cannot be written: a full disk, a read-only folder.</summary>
    public static LayerBuildException NotWritable(string path, Exception e) =>
        new(DiagnosticCodes.OutputNotWritable, SourcePosition.StartOf(path), $"cannot write the archive '{path}': {e.Message}");

    /// <summary>Renames the file over the output, then closes it; returns what the renamed file is (taken
    /// from the open handle, so a rival's file renamed over it since is never mistaken for it).</summary>
    public HostFileInfo Commit()
    {
        // Renamed while still open and locked: there is no moment at which the temporary looks abandoned.
        // A previous output is swapped out rather than renamed over (D81: ext4 would write the new archive's
        // blocks inside the rename).
        FileReplacement.Replace(TempPath, OutputPath);
        committed = true;
        var identity = OperatingSystem.IsLinux() ? LinuxStatx.Stat(Handle, OutputPath) : HostFileInfo.Stat(OutputPath);
        Handle.Dispose();
        return identity;
    }

    public void Dispose()
    {
        if (!committed)
        {
            File.Delete(TempPath);
        }

        Handle.Dispose();
    }
}
