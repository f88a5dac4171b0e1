using System.Buffers;
using System.Security.Cryptography;
using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Archive;

/// <summary>
/// Re-hashes the cached layers an archive will carry uncompressed, before the first byte of it goes to a
/// stream: a stream cannot take back what it was sent, so a rotted cache entry must be found first. A
/// file output needs no such pass (it verifies while it copies, and a failure discards the temporary),
/// nor does a compressed layer (the compressor hashed it).
/// </summary>
internal static class CachedLayerCheck
{
    private const int BufferSize = 1 << 20;

    /// <summary>The files of the layers whose bytes no longer hash to their diff id.</summary>
    public static async Task<IReadOnlyList<string>> DamagedAsync(IEnumerable<LayerBlob> layers, CancellationToken cancellationToken)
    {
        var damaged = new List<string>();
        foreach (var layer in layers.Where(l => l.NeedsVerification && l.Compressed is null))
        {
            if (await HashAsync(layer, cancellationToken).ConfigureAwait(false) != layer.DiffId)
            {
                damaged.Add(layer.FilePath);
            }
        }

        return damaged;
    }

    private static async Task<Digest> HashAsync(LayerBlob layer, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var file = File.OpenHandle(layer.FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
            long done = 0;
            while (done < layer.Size)
            {
                var read = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, (int)Math.Min(buffer.Length, layer.Size - done)), layer.Offset + done, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, read);
                done += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Digest.FromHashBytes(hash.GetHashAndReset());
    }
}
