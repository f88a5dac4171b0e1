using LayerBuilder.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.Archive;

/// <summary>
/// The archive being written: a temporary file beside the output, renamed over it once complete and
/// deleted otherwise, so a failed or cancelled build leaves nothing at the output path. It is opened
/// before the layers are built when the one layer of an image is written straight into it.
/// </summary>
public sealed class ArchiveFile : IDisposable
{
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
            var folder = Path.GetDirectoryName(full)!;
            Directory.CreateDirectory(folder);
            var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.partial");
            return new ArchiveFile(full, temp, File.OpenHandle(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(outputPath, e);
        }
    }

    /// <summary>The archive <paramref name="path"/> cannot be written: a full disk, a read-only folder.</summary>
    public static LayerBuildException NotWritable(string path, Exception e) =>
        new(DiagnosticCodes.OutputNotWritable, SourcePosition.StartOf(path), $"cannot write the archive '{path}': {e.Message}");

    /// <summary>Closes the file and renames it over the output.</summary>
    public void Commit()
    {
        Handle.Dispose();
        File.Move(TempPath, OutputPath, overwrite: true);
        committed = true;
    }

    public void Dispose()
    {
        Handle.Dispose();
        if (!committed)
        {
            File.Delete(TempPath);
        }
    }
}
