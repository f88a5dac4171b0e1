using System.IO.Compression;
using LayerBuilder.Image;
using ZstdSharp;

namespace LayerBuilder.Layers;

/// <summary>
/// The compressed form of a layer, made in one pass that hashes the compressed bytes as they are
/// written. Output is reproducible: .NET's gzip writes no time or name into its header and its zlib is
/// bundled with the runtime; zstd is a managed port, so its bytes do not depend on the machine either.
/// The level is fixed.
/// </summary>
internal static class LayerCompressor
{
    private const int BufferSize = 1 << 20;

    /// <summary>Compresses <paramref name="layer"/> into a file of <paramref name="folder"/>; the result
    /// keeps the layer's diff id and names the compressed blob.</summary>
    public static async Task<FileLayer> CompressAsync(LayerBlob layer, LayerCompression compression, string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, layer.DiffId.Hex + Extension(compression));
        await using var input = await layer.OpenBlobAsync(cancellationToken).ConfigureAwait(false);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var hashing = new HashingStream(file, leaveOpen: true);
        var buffer = new byte[BufferSize];
        await using (var compressor = Open(compression, hashing))
        {
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await compressor.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }

        await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new FileLayer(path, hashing.Complete(), layer.DiffId, hashing.BytesWritten, MediaType(compression));
    }

    private static string Extension(LayerCompression compression) => compression == LayerCompression.Gzip ? ".gz" : ".zst";

    /// <summary>The OCI media type of a layer blob compressed so.</summary>
    public static string MediaType(LayerCompression compression) => compression == LayerCompression.Gzip ? MediaTypes.LayerGzip : MediaTypes.LayerZstd;

    private static Stream Open(LayerCompression compression, Stream output) => compression switch
    {
        LayerCompression.Gzip => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
        LayerCompression.Zstd => new CompressionStream(output, level: 3, leaveOpen: true),
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, null),
    };
}
