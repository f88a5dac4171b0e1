using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Layers;
using LayerBuilder.Recipe;

namespace LayerBuilder.EngineTests.Support;

/// <summary>
/// An image built on top of another one (<c>base: { image: ... }</c> or <c>{ layout: ... }</c>): one
/// more file, one more env variable and a new cmd; everything else is inherited.
/// </summary>
public static class DerivedImage
{
    public const string Created = "2024-02-02T00:00:00Z";
    public const string StepName = "derived";
    public const string FilePath = "/srv/derived.txt";
    public const string FileText = "derived\n";
    public const string DefaultRunOutput = "run-ok derived\nuser=1000:1000\npwd=/app\ngreeting=hello from layerbuilder\n";

    public static readonly string[] Env = [.. ConfigAssertions.Env, "DERIVED=yes"];

    /// <param name="work"></param>

    /// <param name="purpose"></param>    /// <param name="baseMapping">The recipe's <c>base:</c> value, e.g. <c>{ image: "x.tar", ref: "a:1" }</c>.</param>
    /// <param name="format">The archive's format.</param>
    /// <param name="compression">How its layers are compressed (<c>oci</c> only).</param>
    public static async Task<(string Name, BuildResult Result)> BuildAsync(TempFolder work, string purpose, string baseMapping,
        ArchiveFormat format = ArchiveFormat.Docker, LayerCompression compression = LayerCompression.None)
    {
        var name = $"lbe-test/{purpose}-{Guid.NewGuid():N}"[..^20];
        var folder = Directory.CreateDirectory(work.Combine("derived")).FullName;
        var recipeFile = Path.Combine(folder, "layerbuild.yml");
        await File.WriteAllTextAsync(recipeFile, $$"""
            image: {{name}}
            tags: ["1.0"]
            platform: linux/{{FixtureImage.Architecture}}
            created: "{{Created}}"
            base: {{baseMapping}}
            config:
              env: { DERIVED: "yes" }
              cmd: ["derived"]
            steps:
              - name: {{StepName}}
                files:
                  - { path: {{FilePath}}, content: "derived\n", owner: "1000:1000" }
            """);
        var output = work.Combine("out", "derived.tar");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var result = await ImageBuilder.BuildAsync(new BuildRequest(RecipeParser.ParseFile(recipeFile), output) with { Format = format, Compression = compression });
        return (name, result);
    }
}
