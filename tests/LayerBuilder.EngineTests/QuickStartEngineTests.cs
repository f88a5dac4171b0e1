using LayerBuilder.EngineTests.Support;

namespace LayerBuilder.EngineTests;

/// <summary>
/// The README's quick start, as a user types it: build examples/hello with <c>dotnet run --project
/// src/LayerBuilder.Tool -- examples/hello/layerbuild.yml -o hello.tar</c> from the checkout, then
/// <c>docker load -i hello.tar</c> and <c>docker run --rm example/hello:1.0</c>, which must print the greeting.
/// </summary>
[TestFixture]
public sealed class QuickStartEngineTests
{
    [Test]
    public async Task The_quick_start_image_builds_loads_and_prints_its_greeting()
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("quick-start");
        var archive = work.Combine("hello.tar");

        // The README's command from the checkout's root; only -o points outside the checkout, and the
        // cache is the test's own. The variables dotnet test sets for its own MSBuild are removed, so the
        // child builds as a user's shell would.
        var environment = new Dictionary<string, string?>
        {
            ["XDG_CACHE_HOME"] = work.Combine("cache"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["UseSharedCompilation"] = "false",
        };
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if ((name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) && name != "MSBUILDDISABLENODEREUSE") ||
                name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) || name == "SOURCE_DATE_EPOCH")
            {
                environment[name] = null;
            }
        }

        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = ProcessRunner.Prepare(dotnet, ["run", "--project", "src/LayerBuilder.Tool", "--", "examples/hello/layerbuild.yml", "-o", archive], RepositoryRoot(), environment);
        var build = await ProcessRunner.RunAsync(start, TimeSpan.FromMinutes(10));
        Assert.That(build.ExitCode, Is.Zero, build.Describe);

        string[] names = ["example/hello:1.0", "example/hello:latest"];
        await docker.RunAsync(["image", "rm", "--force", .. names]);
        try
        {
            var load = await docker.RunCheckedAsync("load", "-i", archive);
            Assert.That(load.StandardOutput, Does.Contain("Loaded image: example/hello:1.0"), load.Describe);

            var run = await docker.RunCheckedAsync("run", "--rm", "example/hello:1.0");
            Assert.That(run.StandardOutput, Is.EqualTo("Hello from a LayerBuilder image!\n"), run.Describe);
            Assert.That(File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")), Does.Contain("docker run --rm example/hello:1.0        # prints: Hello from a LayerBuilder image!"),
                "the README shows the command and the greeting this test checks");
        }
        finally
        {
            await docker.RunAsync(["image", "rm", "--force", .. names]);
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "LayerBuilder.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no LayerBuilder.sln above {AppContext.BaseDirectory}");
    }
}
