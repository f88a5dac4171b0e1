using System.Diagnostics;
using System.IO.Compression;
using LayerBuilder.Layers;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Unit;

/// <summary>
/// The parallel gzip of layers (docs/decisions.md D74): its bytes are the same whatever the number of
/// threads, standard readers (.NET's GZipStream, gzip itself) give back the exact input, at and around
/// chunk boundaries and for an empty input, and an input of one chunk is compressed to the very bytes of
/// a single-stream GZipStream at the same level.
/// </summary>
public sealed class ParallelGzipTests
{
    private const int Chunk = ParallelGzip.ChunkSize;

    private static readonly int[] Sizes = [0, 1, 1000, Chunk - 1, Chunk, Chunk + 1, (3 * Chunk) - 1, 3 * Chunk, (3 * Chunk) + 1, (5 * Chunk) + (Chunk / 2)];

    [Test]
    public async Task The_bytes_are_the_same_whatever_the_number_of_threads()
    {
        var input = Data((5 * Chunk) + 12345, seed: 1);
        var one = await CompressAsync(input, threads: 1);
        foreach (var threads in new[] { 2, 3, 8 })
        {
            Assert.That(await CompressAsync(input, threads), Is.EqualTo(one), $"{threads} threads against one");
        }

        // A reader that hands out the input in small, odd pieces does not change the chunks either.
        using var output = new MemoryStream();
        await ParallelGzip.CompressAsync(new TricklingStream(input, 7777), output, 4, CancellationToken.None);
        Assert.That(output.ToArray(), Is.EqualTo(one), "short reads do not move chunk boundaries");
    }

    [TestCaseSource(nameof(Sizes))]
    public async Task GZipStream_reads_back_the_exact_input(int size)
    {
        var input = Data(size, seed: size);
        var compressed = await CompressAsync(input, threads: 3);

        using var reader = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var back = new MemoryStream();
        await reader.CopyToAsync(back);
        Assert.That(back.ToArray(), Is.EqualTo(input));
        Assert.That(compressed.AsSpan(0, 10).ToArray(), Is.EqualTo(new byte[] { 0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0x04, 0x03 }), "the fixed header: no time, no name");
    }

    [TestCase(0)]
    [TestCase(Chunk)]
    [TestCase(Chunk + 1)]
    [TestCase((3 * Chunk) + 1)]
    public async Task Gzip_itself_tests_the_stream_and_decompresses_it_to_the_exact_input(int size)
    {
        using var temp = new TempDirectory();
        var input = Data(size, seed: 7);
        var path = temp.WriteFile("layer.tar.gz", await CompressAsync(input, threads: 2));

        var test = await RunAsync("gzip", "-t", path);
        Assert.That(test.ExitCode, Is.Zero, test.Error);
        var unpacked = await RunAsync("gzip", "-dk", path);
        Assert.That(unpacked.ExitCode, Is.Zero, unpacked.Error);
        Assert.That(await File.ReadAllBytesAsync(temp.Combine("layer.tar")), Is.EqualTo(input), "gzip -d gives the exact input back");
    }

    [TestCase(1)]
    [TestCase(1000)]
    [TestCase(Chunk - 1)]
    [TestCase(Chunk)]
    public async Task An_input_of_one_chunk_is_the_single_stream_gzip_of_it(int size)
    {
        var input = Data(size, seed: 3);
        using var single = new MemoryStream();
        await using (var gzip = new GZipStream(single, ParallelGzip.Level, leaveOpen: true))
        {
            await gzip.WriteAsync(input);
        }

        Assert.That(await CompressAsync(input, threads: 2), Is.EqualTo(single.ToArray()));
    }

    [Test]
    public async Task Chunks_cost_little_against_one_stream()
    {
        var input = Data(6 * Chunk, seed: 11);
        using var single = new MemoryStream();
        await using (var gzip = new GZipStream(single, ParallelGzip.Level, leaveOpen: true))
        {
            await gzip.WriteAsync(input);
        }

        var chunked = await CompressAsync(input, threads: 2);
        Assert.That(chunked, Has.Length.LessThan(single.Length * 1.03), "chunks start with an empty window: a small, bounded loss");
        Assert.That(chunked, Has.Length.LessThan(input.Length * 0.8), "the data does compress");
    }

    private static async Task<byte[]> CompressAsync(byte[] input, int threads)
    {
        using var output = new MemoryStream();
        await ParallelGzip.CompressAsync(new MemoryStream(input), output, threads, CancellationToken.None);
        return output.ToArray();
    }

    /// <summary>Data a layer could hold: runs of text-like bytes, zeros and noise, different in every chunk.</summary>
    private static byte[] Data(int size, int seed)
    {
        var random = new Random(seed);
        var data = new byte[size];
        var at = 0;
        while (at < size)
        {
            var run = Math.Min(size - at, random.Next(1, 20_000));
            switch (random.Next(3))
            {
                case 0:
                    random.NextBytes(data.AsSpan(at, run));
                    break;
                case 1:
                    for (var i = 0; i < run; i++)
                    {
                        data[at + i] = (byte)"layer builder writes tar files "[(at + i) % 31];
                    }

                    break;
                default:
                    break; // zeros
            }

            at += run;
        }

        return data;
    }

    private static async Task<(int ExitCode, string Error)> RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await error);
    }

    /// <summary>A stream that never gives more than <paramref name="piece"/> bytes per read.</summary>
    private sealed class TricklingStream(byte[] data, int piece) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, piece));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, piece)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, piece)], cancellationToken);
    }
}
