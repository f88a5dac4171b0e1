using LayerBuilder.Image;
using ZstdSharp;

namespace LayerBuilder.Layers;

/// <summary>
/// The compressed form of a layer, made in one pass that hashes the compressed bytes as they are
/// written. Output is reproducible: gzip is <see cref="ParallelGzip"/> (chunks deflated on every core by
/// the zlib bundled with the runtime, a fixed header; its bytes do not depend on the number of cores,
/// docs/decisions.md D74); zstd is a managed port, so its bytes do not depend on the machine either.
/// The level is fixed.
/// </summary>
internal static class LayerCompressor
{
    private const int BufferSize = 1 << 20;

    private const int FileBufferSize = 1 << 16;

    /// <summary>Threads of one layer's gzip at most: each holds a few MiB of chunks, and several layers
    /// may be compressed at once (D74).</summary>
    private const int MaxGzipThreads = 8;

    /// <summary>Compresses <paramref name="layer"/> into a file of <paramref name="folder"/>; the result
    /// keeps the layer's diff id and names the compressed blob.</summary>
    public static Task<FileLayer> CompressAsync(LayerBlob layer, LayerCompression compression, string folder, CancellationToken cancellationToken) =>
        CompressAsync(layer, compression, folder, written: null, cancellationToken);

    /// <summary>Compresses <paramref name="layer"/> into <see cref="PathOf"/>; <paramref name="written"/>, when
    /// given, is told after every write how many bytes the file holds, so a reader can follow the writer
    /// (the file is then written unbuffered: what was reported is in the file).</summary>
    public static async Task<FileLayer> CompressAsync(LayerBlob layer, LayerCompression compression, string folder, Action<long>? written, CancellationToken cancellationToken)
    {
        var path = PathOf(layer.DiffId, compression, folder);
        await using var input = await layer.OpenBlobAsync(cancellationToken).ConfigureAwait(false);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, written is null ? FileBufferSize : 0);
        using var hashing = new HashingStream(file, leaveOpen: true, written);
        if (compression == LayerCompression.Gzip)
        {
            await ParallelGzip.CompressAsync(input, hashing, Math.Min(Environment.ProcessorCount, MaxGzipThreads), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await CompressOneStreamAsync(input, compression, hashing, cancellationToken).ConfigureAwait(false);
        }

        await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new FileLayer(path, hashing.Complete(), layer.DiffId, hashing.BytesWritten, MediaType(compression));
    }

    private static async Task CompressOneStreamAsync(Stream input, LayerCompression compression, Stream output, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        await using var compressor = Open(compression, output);
        int read;
        while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await compressor.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The name of the byte layout <paramref name="compression"/> writes: a new layout gets a new name,
    /// so nothing recorded of an older one (Push/CompressedDigests) is taken for it.</summary>
    public static string FormatName(LayerCompression compression) => compression switch
    {
        LayerCompression.Gzip => ParallelGzip.FormatName,
        _ => compression.ToString().ToLowerInvariant(),
    };

    /// <summary>The file of <paramref name="folder"/> the compressed form of the layer <paramref name="diffId"/> is written to.</summary>
    public static string PathOf(Digest diffId, LayerCompression compression, string folder) => Path.Combine(folder, diffId.Hex + Extension(compression));

    private static string Extension(LayerCompression compression) => compression == LayerCompression.Gzip ? ".gz" : ".zst";

    /// <summary>The OCI media type of a layer blob compressed so.</summary>
    public static string MediaType(LayerCompression compression) => compression == LayerCompression.Gzip ? MediaTypes.LayerGzip : MediaTypes.LayerZstd;

    private static Stream Open(LayerCompression compression, Stream output) => compression switch
    {
        LayerCompression.Zstd => new CompressionStream(output, level: 3, leaveOpen: true),
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, null),
    };
}
