using System.IO.Compression;
using System.Security.Cryptography;
using LayerBuilder.Image;
using ZstdSharp;

namespace LayerBuilder.Layers;

/// <summary>
/// Compresses a finished layer in one pass, hashing the compressed bytes as they are written. Output is
/// reproducible: .NET's gzip writes no time or name into its header and its zlib is bundled with the
/// runtime; zstd is a managed port, so its bytes do not depend on the machine either. The level is fixed.
/// </summary>
public static class LayerCompressor
{
    public static async Task<CompressedBlob> CompressAsync(LayerBlob layer, LayerCompression compression, string folder, CancellationToken cancellationToken)
    {
        var extension = compression == LayerCompression.Gzip ? ".gz" : ".zst";
        var path = Path.Combine(folder, layer.DiffId.Hex + extension);
        await using (var input = new FileStream(layer.FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        using (var hashing = new HashingStream(file, leaveOpen: true))
        {
            // The uncompressed bytes are hashed on the way too: a cached layer that rotted must not be shipped.
            using var plain = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 20];
            await using (var compressor = Open(compression, hashing))
            {
                int read;
                while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    plain.AppendData(buffer, 0, read);
                    await compressor.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }

            if (Digest.FromHashBytes(plain.GetHashAndReset()) is var actual && actual != layer.DiffId)
            {
                throw new Archive.CorruptLayerException(layer.FilePath, layer.DiffId, actual);
            }

            await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
            var mediaType = compression == LayerCompression.Gzip ? MediaTypes.LayerGzip : MediaTypes.LayerZstd;
            return new CompressedBlob(path, hashing.Complete(), hashing.BytesWritten, mediaType);
        }
    }

    private static Stream Open(LayerCompression compression, Stream output) => compression switch
    {
        LayerCompression.Gzip => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
        LayerCompression.Zstd => new CompressionStream(output, level: 3, leaveOpen: true),
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, null),
    };
}
