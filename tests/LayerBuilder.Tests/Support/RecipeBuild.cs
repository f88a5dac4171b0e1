using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Diagnostics;
using LayerBuilder.Recipe;

namespace LayerBuilder.Tests.Support;

/// <summary>Builds a recipe written into a test folder through the library's one entry point.</summary>
public static class RecipeBuild
{
    /// <summary>Writes <paramref name="yaml"/> as <c>layerbuild.yml</c> in <paramref name="folder"/>,
    /// builds it to <c>out/image.tar</c> there and returns the archive read back.</summary>
    public static async Task<(BuildResult Result, ImageArchive Archive)> BuildAsync(TempDirectory folder, string yaml, ArchiveFormat format = ArchiveFormat.Docker)
    {
        var recipeFile = folder.WriteFile("layerbuild.yml", yaml);
        var output = folder.Combine("out", format == ArchiveFormat.Oci ? "image-oci.tar" : "image.tar");
        var result = await BuildFileAsync(recipeFile, output, format);
        return (result, ImageArchive.Read(output));
    }

    public static Task<BuildResult> BuildFileAsync(string recipeFile, string output, ArchiveFormat format = ArchiveFormat.Docker) =>
        ImageBuilder.BuildAsync(new BuildRequest(RecipeParser.ParseFile(recipeFile), output) { Format = format });

    /// <summary>Builds a recipe that must fail and returns the diagnostics it reported.</summary>
    public static async Task<IReadOnlyList<Diagnostic>> FailAsync(TempDirectory folder, string yaml, string output)
    {
        var recipeFile = folder.WriteFile("layerbuild.yml", yaml);
        try
        {
            await BuildFileAsync(recipeFile, output);
        }
        catch (LayerBuildException e)
        {
            return e.Diagnostics;
        }

        Assert.Fail("the build succeeded, but it should have reported an error");
        return [];
    }
}
