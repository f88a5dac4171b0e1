using System.Buffers;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Layers;

/// <summary>
/// Streams ordered entries into a layer tar file, hashing as it writes: one pass over each source
/// file, no layer ever held in memory. The file is written under a temporary name and only gets its
/// final name once complete.
/// </summary>
public static class LayerWriter
{
    private const int CopyBufferSize = 1 << 20;

    /// <summary>
    /// Writes <paramref name="entries"/> (already in layer order) to <paramref name="path"/>.
    /// <paramref name="written"/> sees each entry as stored, files pointing at their bytes inside the new
    /// layer, so later steps can copy them up without keeping anything else.
    /// </summary>
    public static async Task<LayerBlob> WriteAsync(
        string path, IEnumerable<LayerEntry> entries, Action<LayerEntry>? written, CancellationToken cancellationToken)
    {
        var temp = path + ".partial";
        try
        {
            LayerBlob blob;
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            await using (var buffered = new BufferedStream(file, 1 << 16))
            using (var hashing = new HashingStream(buffered, leaveOpen: true))
            {
                var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
                try
                {
                    foreach (var entry in entries)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        TarHeaderWriter.WriteHeader(hashing, entry);
                        var stored = entry;
                        if (entry.Kind == EntryKind.File && entry.Content is { } content)
                        {
                            var offset = hashing.BytesWritten;
                            await CopyExactlyAsync(content, entry, hashing, buffer, cancellationToken).ConfigureAwait(false);
                            TarHeaderWriter.WritePadding(hashing, content.Length);
                            stored = entry with { Content = new LayerSliceContent(path, offset, content.Length) };
                        }

                        written?.Invoke(stored);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                TarHeaderWriter.WriteEnd(hashing);
                await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
                blob = new LayerBlob(path, hashing.Complete(), hashing.BytesWritten);
            }

            File.Move(temp, path, overwrite: true);
            return blob;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static async Task CopyExactlyAsync(ContentSource content, LayerEntry entry, Stream output, byte[] buffer, CancellationToken cancellationToken)
    {
        await using var input = content.Open();
        var remaining = content.Length;
        while (remaining > 0)
        {
            var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw SourceChanged(content, entry, "shrank");
            }

            output.Write(buffer, 0, read);
            remaining -= read;
        }

        if (content is HostFileContent && await input.ReadAsync(buffer.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) > 0)
        {
            throw SourceChanged(content, entry, "grew");
        }
    }

    private static LayerBuildException SourceChanged(ContentSource content, LayerEntry entry, string how) =>
        new(DiagnosticCodes.SourceChanged, SourcePosition.StartOf(content is HostFileContent h ? h.HostPath : entry.Path.Value),
            $"the file for {entry.Path} {how} while it was being written into the layer; build again once it is stable");
}
