using LayerBuilder.Layers;

namespace LayerBuilder.TarInput;

/// <summary>
/// Decompresses a whole input file (a gzip, zstd or bzip2 base image layer) into a stream, reading the
/// compressed stream to its end so its own check runs, and reporting damage as LB2023 naming the input.
/// Failures writing <c>destination</c> are not the input's and pass through untouched.
/// </summary>
internal static class CompressedInput
{
    private const int BufferSize = 1 << 20;

    public static async Task CopyToAsync(TarInputSource source, Stream destination, CancellationToken cancellationToken)
    {
        InputFile.RefuseNonRegular(source);
        Stream input;
        try
        {
            input = Compression.OpenDecompressed(source.Path, out _);
        }
        catch (UnauthorizedAccessException e)
        {
            throw source.Error(source.Unreadable, $"cannot be read: {e.Message}");
        }
        catch (Exception e) when (TarInputFailures.IsInputFailure(e))
        {
            throw TarInputFailures.FromDecompressor(e, source, entry: null);
        }

        await using (input.ConfigureAwait(false))
        {
            var buffer = new byte[BufferSize];
            while (true)
            {
                int read;
                try
                {
                    read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (TarInputFailures.IsInputFailure(e))
                {
                    throw TarInputFailures.FromDecompressor(e, source, entry: null);
                }

                if (read == 0)
                {
                    return;
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
