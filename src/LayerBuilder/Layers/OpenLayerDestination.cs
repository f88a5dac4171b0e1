using LayerBuilder.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.Layers;

/// <summary>
/// The open files of one <see cref="LayerDestination"/> while a layer is written. A layer's own file is
/// written under a temporary name and renamed only when complete, so a failed write leaves nothing.
/// </summary>
internal sealed class OpenLayerDestination : IDisposable
{
    private readonly LayerDestination target;
    private readonly string? temp;
    private int attempts;
    private SafeFileHandle? own;
    private bool committed;

    public OpenLayerDestination(LayerDestination target)
    {
        this.target = target;
        if (target.FilePath is { } path)
        {
            try
            {
                // A new name per attempt: a temporary a concurrent sweep took may still be on its way out.
                (temp, own) = FileSystem.OwnedTemporaryFile.Create(
                    () => ++attempts == 1 ? path + PartialSuffix : $"{path}.{attempts}{PartialSuffix}", FileAccess.Write, FileShare.None);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw NotWritable(path, e);
            }
        }
    }

    /// <summary>Writes <paramref name="bytes"/> at <paramref name="position"/> of the layer, to every target.</summary>
    public void Write(ReadOnlySpan<byte> bytes, long position)
    {
        try
        {
            if (own is not null)
            {
                RandomAccess.Write(own, bytes, position);
            }

            if (target.Slot is { } slot)
            {
                RandomAccess.Write(slot.Handle, bytes, slot.Offset + position);
            }
        }
        catch (Exception e) when (FileSystem.WriteFailures.IsWriteFailure(e))
        {
            // A full disk or the file size limit, most likely: that, not whatever the build was doing, is the news.
            throw NotWritable(target.FilePath ?? target.Slot!.FilePath, e);
        }
    }

    /// <summary>Gives the layer's own file its final name.</summary>
    public void Commit()
    {
        if (own is not null)
        {
            // Renamed while still open and locked: a later build never takes it for a killed build's.
            File.Move(temp!, target.FilePath!, overwrite: true);
            own.Dispose();
            own = null;
        }

        committed = true;
    }

    /// <summary>What a layer's temporary name ends with; the layer cache sweeps abandoned ones by it.</summary>
    private const string PartialSuffix = ".partial";

    private static LayerBuildException NotWritable(string path, Exception e) =>
        new(DiagnosticCodes.OutputNotWritable, SourcePosition.StartOf(path), $"cannot write a layer to '{path}': {e.Message}");

    public void Dispose()
    {
        if (!committed && temp is not null)
        {
            File.Delete(temp);
        }

        own?.Dispose();
    }
}
