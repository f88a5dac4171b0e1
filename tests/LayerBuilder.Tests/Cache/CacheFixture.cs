using LayerBuilder.Build;
using LayerBuilder.Cache;
using LayerBuilder.Layers;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Cache;

/// <summary>A two-step recipe over host files, built with a private layer cache.</summary>
public sealed class CacheFixture : IDisposable
{
    private readonly TempDirectory temp = new();

    public CacheFixture()
    {
        temp.WriteFile("src/one/a.txt", "alpha\n");
        temp.WriteFile("src/one/b.txt", "beta\n");
        temp.WriteFile("src/two/c.txt", "gamma\n");
        temp.WriteFile("layerbuild.yml", """
            image: cache/test
            created: "2024-01-01T00:00:00Z"
            steps:
              - name: one
                copy: [{ src: src/one, dest: /one/ }]
              - name: two
                copy: [{ src: src/two, dest: /two/ }]
            """);
        Cache = new LayerCache(temp.Combine("cache"));
    }

    public LayerCache Cache { get; }

    public string Root => temp.Path;

    public string Source(string relative) => temp.Combine("src", relative);

    public string Output(string name) => temp.Combine("out", name);

    public async Task<(BuildResult Result, List<LayerProgress> Progress)> BuildAsync(string output, LayerCache? cache)
    {
        var progress = new List<LayerProgress>();
        var recipe = RecipeParser.ParseFile(temp.Combine("layerbuild.yml"));
        var result = await ImageBuilder.BuildAsync(new BuildRequest(recipe, output)
        {
            Cache = cache,
            Progress = new SynchronousProgress(p =>
            {
                lock (progress)
                {
                    progress.Add(p);
                }
            }),
        });
        return (result, progress);
    }

    public void Dispose() => temp.Dispose();

    /// <summary>IProgress without a synchronization context hop, so the list is complete when the build returns.</summary>
    private sealed class SynchronousProgress(Action<LayerProgress> report) : IProgress<LayerProgress>
    {
        public void Report(LayerProgress value) => report(value);
    }
}
