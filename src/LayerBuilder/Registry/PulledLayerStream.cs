using System.IO.Compression;
using LayerBuilder.Layers;
using LayerBuilder.Reading;
using ZstdSharp;

namespace LayerBuilder.Registry;

/// <summary>
/// The tar inside a pulled layer blob, told by its magic bytes (gzip, zstd, or a plain tar). Unlike an
/// archive's layers, a pulled blob's every byte is checked against the manifest's digest and size and the
/// tar against the config's diff id, so the runtime's native gzip decoder (several times faster than a
/// managed one) is safe here: a cut or damaged stream cannot pass those checks.
/// </summary>
internal static class PulledLayerStream
{
    private const int MagicLength = 6;

    /// <summary>The decompressed bytes of <paramref name="blob"/>, which it owns; null for a compression
    /// LayerBuilder does not read in a registry layer (bzip2, xz).</summary>
    public static async Task<Stream?> OpenAsync(Stream blob, CancellationToken cancellationToken)
    {
        var head = new byte[MagicLength];
        var read = await blob.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var stream = new PrefixedStream(head[..read], blob);
        return Compression.Detect(head.AsSpan(0, read)) switch
        {
            Compression.Kind.None => stream,
            Compression.Kind.Gzip => new GZipStream(stream, CompressionMode.Decompress),
            Compression.Kind.Zstd => new DecompressionStream(stream),
            _ => null,
        };
    }
}
