using System.Diagnostics;
using LayerBuilder.Conversion;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;
using LayerBuilder.Tool;

namespace LayerBuilder.Tests.Conversion;

/// <summary><c>dotnet layerbuild convert</c>: the arguments it maps, the file it writes (paths relative to
/// the recipe's folder), its diagnostics and exit codes.</summary>
public sealed class ConvertCommandTests
{
    private const string Dockerfile = """
        FROM debian:bookworm
        RUN apt-get update
        COPY app/ /app/
        ENV PATH=/app/bin:$PATH
        """;

    [Test]
    public async Task An_instruction_it_cannot_express_fails_with_its_position_and_writes_nothing()
    {
        using var temp = new TempDirectory();
        var dockerfile = temp.WriteFile("ctx/Dockerfile", Dockerfile);
        var output = temp.Combine("layerbuild.yml");

        var (exitCode, stdout, stderr) = await RunAsync("convert", dockerfile, "-o", output);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.InvalidInput));
            Assert.That(stdout, Is.Empty);
            Assert.That(stderr, Does.StartWith($"{dockerfile}:2:1: error LB7001: RUN runs a program"));
            Assert.That(File.Exists(output), Is.False);
        }
    }

    [Test]
    public async Task Allow_partial_writes_a_recipe_whose_paths_are_relative_to_its_folder()
    {
        using var temp = new TempDirectory();
        var dockerfile = temp.WriteFile("ctx/Dockerfile", Dockerfile);
        temp.WriteFile("ctx/app/bin/run", "#!/bin/sh\n");
        temp.WriteFile("bases/debian.tar", "not read here");
        var output = temp.Combine("recipes", "layerbuild.yml");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);

        var (exitCode, _, stderr) = await RunAsync("convert", dockerfile, "-o", output, "--allow-partial", "--base-image", temp.Combine("bases", "debian.tar"));
        var recipe = RecipeParser.ParseFile(output);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), stderr);
            Assert.That(stderr, Does.Contain(":2:1: warning LB7001"));
            Assert.That(recipe.Image.Value.Familiar, Is.EqualTo("ctx"), "the image is named after the context folder");
            Assert.That(recipe.Base, Is.TypeOf<ImageBase>());
            Assert.That(((ImageBase)recipe.Base).HostPath, Is.EqualTo(temp.Combine("bases", "debian.tar")));
            Assert.That(recipe.Steps.Single().Copy.Single().Source.Value, Is.EqualTo(temp.Combine("ctx", "app") + "/"));
            Assert.That(File.ReadAllText(output), Does.Contain("\"../ctx/app/\"").And.Contain("image: \"../bases/debian.tar\""));
        }
    }

    [Test]
    public async Task Standard_output_is_the_default_and_a_missing_dockerfile_is_LB7014()
    {
        using var temp = new TempDirectory();
        var dockerfile = temp.WriteFile("Dockerfile", "FROM scratch\nENV A=1\n");

        var (exitCode, stdout, _) = await RunAsync("convert", dockerfile, "--image", "example/a");
        var (missingExit, _, missingError) = await RunAsync("convert", temp.Combine("nope", "Dockerfile"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(stdout, Does.Contain("image: \"example/a\"").And.Contain("\"A\": \"1\"").And.Not.Contain("base:"));
            Assert.That(missingExit, Is.EqualTo(ExitCodes.InvalidInput));
            Assert.That(missingError, Does.Contain("error LB7014: Dockerfile '").And.Contain("' does not exist"));
        }
    }

    [Test]
    public async Task A_dockerfile_that_is_a_pipe_a_device_a_folder_or_too_large_is_one_LB7014_line()
    {
        using var temp = new TempDirectory();
        var fifo = temp.Combine("fifo");
        Assert.That(Process.Start("mkfifo", fifo)!.WaitForExit(10_000), Is.True);
        var large = temp.Combine("Dockerfile.large");
        using (var file = File.Create(large))
        {
            file.SetLength((16L << 20) + 1);
        }

        var cases = new (string Path, string Says)[]
        {
            (fifo, "is not a regular file (it is a named pipe)"),
            ("/dev/zero", "is not a regular file (it is a device)"),
            (temp.Path, "is a folder; give the Dockerfile file itself"),
            (large, "is larger than 16 MiB"),
        };

        foreach (var (path, says) in cases)
        {
            var (exitCode, stdout, stderr) = await RunAsync("convert", path);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(exitCode, Is.EqualTo(ExitCodes.InvalidInput), path);
                Assert.That(stdout, Is.Empty, path);
                Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), stderr);
                Assert.That(stderr, Does.StartWith($"{path}:1:1: error LB7014: ").And.Contain(says), path);
            }
        }
    }

    [Test]
    public void The_library_reads_a_dockerfile_without_its_byte_order_mark()
    {
        using var temp = new TempDirectory();
        var path = temp.WriteFile("Dockerfile", [0xEF, 0xBB, 0xBF, .. "FROM scratch\n"u8]);

        Assert.That(DockerfileConverter.ReadFile(path), Is.EqualTo("FROM scratch\n"));
    }

    private static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(params string[] arguments)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await new BuildCommand(stdout, stderr).InvokeAsync(arguments);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }
}
