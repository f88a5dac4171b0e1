using BenchmarkDotNet.Attributes;
using LayerBuilder.Base;
using LayerBuilder.Cache;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.TarInput;

namespace LayerBuilder.Benchmarks;

/// <summary>
/// The merged view of a large base layer (the Debian minbase the tests cache, or BENCH_BASE_TAR): its tar
/// headers alone, the view made from them, and the view made from the entries the cache keeps
/// (docs/decisions.md D83).
/// </summary>
[MemoryDiagnoser]
public class BaseIndexBenchmarks
{
    private static readonly SourcePosition Position = SourcePosition.StartOf("layerbuild.yml");
    private readonly string tar = Environment.GetEnvironmentVariable("BENCH_BASE_TAR")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "layerbuilder-tests", "debian-bookworm-minbase.tar");

    private readonly string cacheRoot = Path.Combine(Path.GetTempPath(), $"layerbuild-index-bench-{Environment.ProcessId}");
    private FileLayer layer = null!;
    private LayerIndexStore store = null!;

    [GlobalSetup]
    public void Setup()
    {
        // A made-up diff id: the index is keyed by it, and nothing here checks the tar against it.
        layer = new FileLayer(tar, Digest.Of(tar), new FileInfo(tar).Length);
        store = new LayerIndexStore(new LayerCache(cacheRoot));
        LayerIndexer.Apply(new LowerLayerIndex(), layer, Position, store);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(cacheRoot, recursive: true);

    [Benchmark]
    public int HeadersOnly()
    {
        var names = 0;
        using var reader = TarInputReader.Open(TarInputSource.BaseLayer(tar, "base", Position));
        while (reader.Next() is { } entry)
        {
            names += reader.NameOf(entry).Length;
        }

        return names;
    }

    [Benchmark(Baseline = true)]
    public int ViewFromTheTar()
    {
        var index = new LowerLayerIndex();
        LayerIndexer.Apply(index, layer, Position);
        return index.Count;
    }

    [Benchmark]
    public int ViewFromKeptEntries()
    {
        var index = new LowerLayerIndex();
        LayerIndexer.Apply(index, layer, Position, store);
        return index.Count;
    }
}
