using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Layers;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Faults;

/// <summary>A small sound image of two layers, built with the faults a test names.</summary>
internal static class FaultFixture
{
    public static RecipeBuilder Recipe(string folder) => RecipeBuilder.FromScratch("fixtures/faulty")
        .Tags("1.0")
        .Created(DateTimeOffset.UnixEpoch)
        .BaseDirectory(folder)
        .Step("app", s => s.File("/app/hello.txt", "hello\n").Symlink("/app/link", "hello.txt"))
        .Step("more", s => s.File("/app/more.txt", "more\n"))
        .Config(c => c.Entrypoint("/app/hello.txt"));

    public static async Task<string> BuildAsync(TempDirectory temp, string name, ArchiveFormat format, LayerCompression compression, params ImageFault[] faults)
    {
        var recipe = Recipe(temp.Path).Faults(faults).Build();
        var path = temp.Combine(name);
        await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, path) with { Format = format, Compression = compression });
        return path;
    }
}
