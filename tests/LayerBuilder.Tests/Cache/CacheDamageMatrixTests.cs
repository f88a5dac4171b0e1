using System.Diagnostics;
using System.Security.Cryptography;
using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Cache;
using LayerBuilder.Layers;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Cache;

/// <summary>
/// Cached layers that rotted on disk are never shipped and never fail the build: whatever the output
/// (a file, a stream, gzip or zstd layers) and however many layers are damaged, the build succeeds with
/// the bytes of an undamaged build, and the damaged entries are replaced by good ones.
/// </summary>
[TestFixture]
public sealed class CacheDamageMatrixTests
{
    public enum Output
    {
        File,
        Stream,
        OciGzip,
        OciZstd,
    }

    [Test]
    [Combinatorial]
    public async Task Damaged_cached_layers_are_evicted_and_the_build_gives_the_undamaged_bytes(
        [Values] Output output, [Values(1, 2)] int damaged)
    {
        using var fixture = new CacheFixture();
        var reference = await BuildAsync(fixture, output, cache: null, "reference");
        var (warm, _) = await fixture.BuildAsync(fixture.Output("warm.tar"), fixture.Cache);
        var blobs = warm.Layers.Take(damaged).Select(l => Damage(fixture.Cache, l.DiffId.Hex)).ToList();

        var bytes = await BuildAsync(fixture, output, fixture.Cache, "again");

        Assert.That(bytes, Is.EqualTo(reference), "the same bytes as an undamaged build");
        foreach (var (blob, diffId) in blobs.Zip(warm.Layers.Select(l => l.DiffId.ToString())))
        {
            Assert.That(Sha256(blob), Is.EqualTo(diffId), $"the damaged entry {Path.GetFileName(blob)} was evicted and stored again");
        }
    }

    /// <summary>The cache decorates layer making: a damaged entry costs the rebuild of that one layer, the
    /// others stay hits, and the stream receives the bytes of an undamaged build.</summary>
    [Test]
    public async Task Only_the_damaged_layer_is_written_again_and_a_stream_gets_the_right_bytes()
    {
        using var fixture = new CacheFixture();
        var reference = await BuildAsync(fixture, Output.Stream, cache: null, "reference");
        var (warm, _) = await fixture.BuildAsync(fixture.Output("warm.tar"), fixture.Cache);
        Assert.That(warm.Layers, Has.Count.GreaterThanOrEqualTo(2), "the fixture has layers to tell apart");
        Damage(fixture.Cache, warm.Layers[0].DiffId.Hex);

        var progress = new List<LayerProgress>();
        using var memory = new MemoryStream();
        var recipe = RecipeParser.ParseFile(Path.Combine(fixture.Root, "layerbuild.yml"));
        await ImageBuilder.BuildAsync(BuildRequest.ToStream(recipe, memory) with
        {
            Cache = fixture.Cache,
            WorkDirectory = fixture.Output("work-again"),
            Progress = new Recorder(progress),
        });

        Assert.That(memory.ToArray(), Is.EqualTo(reference));
        var written = progress.Where(p => p.Done && !p.FromCache).Select(p => p.Layer).Distinct();
        Assert.That(written, Is.EqualTo(new[] { 0 }), "the damaged layer, and only it, was written again");
        var reused = progress.Where(p => p.Done && p.FromCache).Select(p => p.Layer).Distinct().Order();
        Assert.That(reused, Is.EqualTo(Enumerable.Range(0, warm.Layers.Count)), "every layer was a hit; the damaged one was found when its bytes were about to be used");
    }

    [TestCase(1)]
    [TestCase(2)]
    public void The_cli_streams_a_complete_archive_over_damaged_cached_layers(int damaged)
    {
        using var fixture = new CacheFixture();
        var environment = new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = fixture.Root };
        var recipe = Path.Combine(fixture.Root, "layerbuild.yml");
        var reference = LayerBuilderCli.Run([recipe, "-o", fixture.Output("reference.tar"), "--no-cache"], fixture.Root, environment);
        Assert.That(reference.ExitCode, Is.Zero, reference.Transcript);
        var warm = LayerBuilderCli.Run([recipe, "-o", fixture.Output("warm.tar")], fixture.Root, environment);
        Assert.That(warm.ExitCode, Is.Zero, warm.Transcript);
        var cache = new LayerCache(Path.Combine(fixture.Root, "layerbuilder"));
        foreach (var blob in Directory.GetFiles(Path.Combine(cache.Root, "blobs", "sha256")).Order(StringComparer.Ordinal).Take(damaged))
        {
            Damage(cache, Path.GetFileName(blob));
        }

        var (exitCode, archive, stderr) = RunToStandardOutput(fixture.Root, environment, recipe);

        Assert.That(exitCode, Is.Zero, stderr);
        Assert.That(archive, Is.EqualTo(File.ReadAllBytes(fixture.Output("reference.tar"))), stderr);
    }

    private static async Task<byte[]> BuildAsync(CacheFixture fixture, Output output, LayerCache? cache, string name)
    {
        var recipe = RecipeParser.ParseFile(Path.Combine(fixture.Root, "layerbuild.yml"));
        if (output == Output.Stream)
        {
            using var memory = new MemoryStream();
            await ImageBuilder.BuildAsync(BuildRequest.ToStream(recipe, memory) with { Cache = cache, WorkDirectory = fixture.Output("work-" + name) });
            return memory.ToArray();
        }

        var path = fixture.Output(name + ".tar");
        var request = new BuildRequest(recipe, path) { Cache = cache };
        if (output is Output.OciGzip or Output.OciZstd)
        {
            request = request with { Format = ArchiveFormat.Oci, Compression = output == Output.OciGzip ? LayerCompression.Gzip : LayerCompression.Zstd };
        }

        await ImageBuilder.BuildAsync(request);
        return await File.ReadAllBytesAsync(path);
    }

    /// <summary>Flips a byte inside the first file's content; the size stays, so only the hash can tell.</summary>
    private static string Damage(LayerCache cache, string diffIdHex)
    {
        var blob = Path.Combine(cache.Root, "blobs", "sha256", diffIdHex);
        var bytes = File.ReadAllBytes(blob);
        bytes[600] ^= 0xFF;
        File.WriteAllBytes(blob, bytes);
        return blob;
    }

    private sealed class Recorder(List<LayerProgress> progress) : IProgress<LayerProgress>
    {
        public void Report(LayerProgress value)
        {
            lock (progress)
            {
                progress.Add(value);
            }
        }
    }

    private static string Sha256(string path) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static (int ExitCode, byte[] Archive, string StdErr) RunToStandardOutput(string folder, Dictionary<string, string?> environment, string recipe)
    {
        var start = new ProcessStartInfo(LayerBuilderCli.Command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (var argument in LayerBuilderCli.Command.Skip(1).Concat([recipe, "-o", "-"]))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment.Remove("SOURCE_DATE_EPOCH");
        using var process = Process.Start(start)!;
        using var archive = new MemoryStream();
        var stderr = process.StandardError.ReadToEndAsync();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(archive);
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the build did not finish within two minutes");
        }

        copy.Wait(TimeSpan.FromMinutes(1));
        return (process.ExitCode, archive.ToArray(), stderr.Result);
    }
}
