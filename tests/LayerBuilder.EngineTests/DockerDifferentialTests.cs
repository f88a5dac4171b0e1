using LayerBuilder.Build;
using LayerBuilder.Conversion;
using LayerBuilder.Diagnostics;
using LayerBuilder.EngineTests.Differential;
using LayerBuilder.EngineTests.Support;
using LayerBuilder.Recipe;

namespace LayerBuilder.EngineTests;

/// <summary>
/// The differential tier (docs/testing.md): each scenario's Dockerfile is built by the engine's classic
/// builder and, converted by <c>convert</c>, by LayerBuilder, on the same base; both images' merged file
/// systems and configs are compared entry by entry. Every difference found must be one that
/// docs/docker-differences.md lists, and every listed one must still be found: a new difference, or one
/// fixed without updating the document, fails the build.
/// </summary>
[Category("Differential")]
public sealed class DockerDifferentialTests
{
    [Test]
    public async Task Docker_build_and_the_converted_recipe_make_the_same_images_but_for_the_documented_differences()
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("differential");
        var bases = await DifferentialBases.BuildAsync(work, docker);
        var found = new List<string>();
        var compared = 0;
        var images = new List<string> { DifferentialBases.DebianReference, DifferentialBases.BusyboxReference };
        try
        {
            foreach (var scenario in DifferentialScenarios.All)
            {
                var (dockerImage, ourImage) = await BuildBothAsync(scenario, bases, docker, work);
                images.AddRange([dockerImage, ourImage]);
                var theirs = await ExportedFilesystem.ListAsync(docker, dockerImage, work.Path);
                var ours = await ExportedFilesystem.ListAsync(docker, ourImage, work.Path);
                compared += theirs.Keys.Union(ours.Keys).Count();
                found.AddRange(ImageComparison.Entries(scenario.Name, theirs, ours));
                found.AddRange(ImageComparison.Configs(scenario.Name, await docker.InspectImageAsync(dockerImage), await docker.InspectImageAsync(ourImage)));
                await docker.RunAsync(["image", "rm", "--force", dockerImage, ourImage]);
            }
        }
        finally
        {
            await docker.RunAsync(["image", "rm", "--force", .. images]);
        }

        var documented = DocumentedDifferences.Read();
        TestContext.Progress.WriteLine($"differential tier: {DifferentialScenarios.All.Count} scenarios, {compared} entries compared, {found.Count} differences (documented: {documented.Count})");
        Assert.That(found.Order(StringComparer.Ordinal), Is.EqualTo(documented.Order(StringComparer.Ordinal)),
            $"the differences found are not the ones {DocumentedDifferences.DocumentPath} lists; found:\n{string.Join('\n', found.Order(StringComparer.Ordinal))}");
    }

    /// <summary>Builds the scenario with <c>docker build</c> (classic builder, no network) and with
    /// LayerBuilder from the recipe <c>convert</c> writes; returns both image references.</summary>
    private static async Task<(string Docker, string LayerBuilder)> BuildBothAsync(DifferentialScenario scenario, DifferentialBases bases, DockerEngine docker, TempFolder work)
    {
        var folder = Directory.CreateDirectory(work.Combine("scenarios", scenario.Name)).FullName;
        var context = new ScenarioContext(Directory.CreateDirectory(Path.Combine(folder, "context")).FullName);
        scenario.Context(context);
        context.Finish();
        var dockerfile = Path.Combine(folder, "Dockerfile");
        await File.WriteAllTextAsync(dockerfile, scenario.Dockerfile.Replace(DifferentialScenario.BasePlaceholder, bases.Reference(scenario.Base), StringComparison.Ordinal));

        var conversion = DockerfileConverter.Convert(new DockerfileConversionRequest
        {
            Text = await File.ReadAllTextAsync(dockerfile),
            File = dockerfile,
            ContextFolder = context.Root,
            ContextFromRecipe = "context",
            ImageName = $"lbdiff/{scenario.Name}",
            BaseImageArchive = bases.Archive(scenario.Base),
        });
        Assert.That(conversion.Diagnostics.Where(d => d.Severity == Severity.Error), Is.Empty, $"{scenario}: convert refused the Dockerfile");
        var recipeFile = Path.Combine(folder, "layerbuild.yml");
        await File.WriteAllTextAsync(recipeFile, conversion.Recipe);
        var archive = Path.Combine(folder, "layerbuilder.tar");
        await ImageBuilder.BuildAsync(new BuildRequest(RecipeParser.ParseFile(recipeFile), archive));
        await docker.RunCheckedAsync("load", "-i", archive);
        File.Delete(archive);

        var dockerImage = $"lbdiff/{scenario.Name}:docker";
        var built = await ProcessRunner.RunAsync(
            ProcessRunner.Prepare(ProcessRunner.Find("docker")!, ["-H", docker.Host, "build", "--network", "none", "-q", "-t", dockerImage, "-f", dockerfile, context.Root], null,
                new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = "0" }),
            TimeSpan.FromMinutes(5));
        Assert.That(built.Succeeded, $"{scenario}: docker build failed:\n{built.Describe()}");
        return (dockerImage, $"lbdiff/{scenario.Name}:latest");
    }
}
