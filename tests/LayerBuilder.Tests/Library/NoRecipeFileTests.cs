using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Library;

/// <summary>
/// A recipe built in code needs no recipe file anywhere: not in the folder its host paths come from, not
/// beside the output, not in the current folder. It builds to a file and to a stream.
/// </summary>
public sealed class NoRecipeFileTests
{
    [Test]
    public async Task A_recipe_built_in_code_builds_where_no_recipe_file_exists()
    {
        using var temp = new TempDirectory();
        var inputs = temp.CreateFolder("inputs");
        temp.WriteFile("inputs/site/index.html", "<h1>hi</h1>\n");
        var recipe = RecipeBuilder.FromScratch("fixtures/no-file")
            .BaseDirectory(inputs)
            .Step("site", s => s.Copy("site/", "/srv/www/").File("/srv/www/robots.txt", "User-agent: *\n"))
            .Config(c => c.Workdir("/srv/www"))
            .Build();
        var output = temp.Combine("out", "image.tar");

        var toFile = await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, output) with { Format = ArchiveFormat.Oci });
        using var stream = new MemoryStream();
        var toStream = await ImageBuilder.BuildAsync(BuildRequest.ToStream(recipe, stream) with { Format = ArchiveFormat.Oci, WorkDirectory = temp.Combine("work") });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(recipe.File, Is.Null, "a recipe built in code names no file");
            Assert.That(RecipeFilesUnder(temp.Path), Is.Empty, "no recipe file was needed, or written");
            Assert.That(File.Exists(Path.Combine(Environment.CurrentDirectory, "layerbuild.yml")), Is.False, "the current folder holds no recipe either");
            Assert.That(toFile.Layers, Has.Count.EqualTo(1));
            Assert.That(toStream.ImageId, Is.EqualTo(toFile.ImageId));
            Assert.That(stream.ToArray(), Is.EqualTo(File.ReadAllBytes(output)), "the stream holds the file's bytes");
            Assert.That(Directory.GetFileSystemEntries(temp.Combine("out")), Is.EqualTo(new[] { output }), "only the archive is left beside it");
        }
    }

    private static string[] RecipeFilesUnder(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
            .ToArray();
}
