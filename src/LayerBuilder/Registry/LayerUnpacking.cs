using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Security.Cryptography;
using LayerBuilder.Image;

namespace LayerBuilder.Registry;

/// <summary>
/// Decompresses a pulled layer blob into its tar, hashing the tar while it is written: a download does it
/// while the blob arrives (D75), a kept blob whose tar was not made yet the first time a build reads the
/// tar (docs/decisions.md D79). Either way the caller compares the digest with the config's diff id.
/// </summary>
internal static class LayerUnpacking
{
    /// <summary>Decompresses a layer blob into <paramref name="output"/>; the tar's digest and length. The
    /// tar is hashed and written on a thread of its own while the next bytes are decompressed (D75). A
    /// stream that is no gzip, zstd or tar fails with <see cref="InvalidDataException"/> (or zstd's own).</summary>
    public static async Task<(Digest Digest, long Size)> UnpackAsync(Stream blob, Stream output, CancellationToken cancellationToken)
    {
        var tar = await PulledLayerStream.OpenAsync(blob, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("it is compressed in a way registry layers are not (gzip, zstd or none)");
        await using (tar.ConfigureAwait(false))
        {
            var written = await OverlappedHandOver.RunAsync(tar, (bytes, token) => WriteTarAsync(bytes, output, token), cancellationToken).ConfigureAwait(false);
            return await written.ConfigureAwait(false);
        }
    }

    /// <summary>Whether <paramref name="e"/> says the blob is not a stream of a kind a registry layer is.</summary>
    public static bool IsUnreadable([NotNullWhen(true)] Exception? e) => e is InvalidDataException or ZstdSharp.ZstdException;

    /// <summary>Hashes and writes the tar as the decompressor hands it on, segment by segment, uncopied.</summary>
    private static async Task<(Digest Digest, long Size)> WriteTarAsync(PipeReader tar, Stream output, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        while (true)
        {
            var result = await tar.ReadAsync(cancellationToken).ConfigureAwait(false);
            foreach (var segment in result.Buffer)
            {
                hash.AppendData(segment.Span);
                await output.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
                length += segment.Length;
            }

            tar.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return (Digest.FromHashBytes(hash.GetHashAndReset()), length);
            }
        }
    }
}
