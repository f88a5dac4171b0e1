using LayerBuilder.Build;
using LayerBuilder.EngineTests.Support;
using LayerBuilder.Recipe;
using LayerBuilder.Tool;

namespace LayerBuilder.EngineTests;

/// <summary>
/// <c>dotnet layerbuild init</c> outside a project writes a recipe that builds and runs in docker as
/// written; in a project's folder it writes the starter for the publish route (built and run by the
/// MSBuild tests); it never replaces a recipe without <c>--force</c>.
/// </summary>
[TestFixture]
public sealed class InitEngineTests
{
    [Test]
    public async Task Outside_a_project_init_writes_a_recipe_that_builds_and_runs_as_written()
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("init");
        var (exitCode, stdout, stderr) = await InitAsync(work.Path);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), stderr);
        Assert.That(stdout, Does.StartWith($"wrote {Path.Combine(work.Path, "layerbuild.yml")}"));

        var archive = work.Combine("image.tar");
        await ImageBuilder.BuildAsync(BuildRequest.ToFile(RecipeParser.ParseFile(Path.Combine(work.Path, InitCommand.FileName)), archive));
        const string name = "example/app:latest";
        await docker.RunAsync("image", "rm", "--force", name);
        try
        {
            await docker.RunCheckedAsync("load", "-i", archive);
            var run = await docker.RunCheckedAsync("run", "--rm", "--network", "none", name);
            Assert.That(run.StandardOutput, Is.EqualTo("Hello from a LayerBuilder image!\n"), run.Describe);
        }
        finally
        {
            await docker.RunAsync("image", "rm", "--force", name);
        }
    }

    [Test]
    public async Task In_a_project_folder_it_writes_the_publish_starter_and_keeps_an_existing_recipe_unless_forced()
    {
        using var work = new TempFolder("init-project");
        File.WriteAllText(work.Combine("Shop.Api.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />\n");

        var first = await InitAsync(work.Path);
        var text = File.ReadAllText(work.Combine(InitCommand.FileName));
        var again = await InitAsync(work.Path);
        var forced = await InitAsync(work.Path, "--force");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.ExitCode, Is.EqualTo(ExitCodes.Success), first.Stderr);
            Assert.That(text, Does.StartWith("# layerbuild.yml for Shop.Api:").And.Contain("docker run --rm shop.api:latest"));
            Assert.That(text, Does.Not.Contain("\nimage:"), "the publish starter is laid over the property-made image");
            Assert.That(again.ExitCode, Is.EqualTo(ExitCodes.InvalidInput));
            Assert.That(again.Stderr, Does.Contain("error LB1068:").And.Contain("already exists; pass --force"));
            Assert.That(forced.ExitCode, Is.EqualTo(ExitCodes.Success), forced.Stderr);
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> InitAsync(string folder, params string[] extra)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await new BuildCommand(stdout, stderr).InvokeAsync(["init", folder, .. extra]);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }
}
