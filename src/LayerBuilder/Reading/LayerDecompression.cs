using ICSharpCode.SharpZipLib.GZip;
using LayerBuilder.Layers;
using LayerBuilder.TarInput;
using ZstdSharp;

namespace LayerBuilder.Reading;

/// <summary>
/// Turns a layer blob read from inside an archive into its uncompressed tar. The compression is told by
/// the magic bytes, not the media type (a mislabelled blob still reads, and validation reports the
/// label). Every decompressor checks its own trailer when read to the end; gzip uses SharpZipLib's,
/// which checks every member's CRC and size and fails on a cut stream (the runtime's stops silently,
/// and the file-based end check of Layers/GzipEndCheck needs a file of its own).
/// </summary>
internal static class LayerDecompression
{
    private const int MagicLength = 6;

    public static async Task<Stream> OpenAsync(Stream blob, TarInputSource source, CancellationToken cancellationToken)
    {
        var head = new byte[MagicLength];
        int read;
        try
        {
            read = await blob.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (TarInputFailures.IsInputFailure(e))
        {
            await blob.DisposeAsync().ConfigureAwait(false);
            throw TarInputFailures.FromDecompressor(e, source, entry: null);
        }

        var kind = Compression.Detect(head.AsSpan(0, read));
        var stream = new PrefixedStream(head[..read], blob);
        try
        {
            return kind switch
            {
                Compression.Kind.None => stream,
                Compression.Kind.Gzip => new GZipInputStream(stream) { IsStreamOwner = true },
                Compression.Kind.Bzip2 => Bzip2Decoder.Open(stream),
                Compression.Kind.Zstd => new DecompressionStream(stream),
                _ => throw source.Error(source.NotATar, $"is {kind}-compressed, which is not supported; gzip, bzip2 and zstd are"),
            };
        }
        catch (Exception e) when (TarInputFailures.IsInputFailure(e))
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw TarInputFailures.FromDecompressor(e, source, entry: null);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
