using BenchmarkDotNet.Attributes;
using LayerBuilder.Base;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.TarInput;

namespace LayerBuilder.Benchmarks;

[MemoryDiagnoser]
public class BaseIndexBenchmarks
{
    private readonly string tar = Environment.GetEnvironmentVariable("BENCH_BASE_TAR") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache/layerbuilder-tests/debian-bookworm-minbase.tar");

    [Benchmark(Baseline = true)]
    public int HeadersOnly()
    {
        var n = 0;
        using var reader = TarInputReader.Open(TarInputSource.BaseLayer(tar, "x", SourcePosition.StartOf(tar)));
        while (reader.Next() is { } e)
        {
            n += reader.NameOf(e).Length;
        }

        return n;
    }

    [Benchmark]
    public int WholeIndex()
    {
        var index = new LowerLayerIndex();
        LayerIndexer.Apply(index, new FileLayer(tar, Digest.Parse("sha256:" + new string('0', 64)), new FileInfo(tar).Length), SourcePosition.StartOf(tar));
        return index.Count;
    }
}
