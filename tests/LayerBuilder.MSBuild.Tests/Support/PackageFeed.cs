namespace LayerBuilder.MSBuild.Tests.Support;

/// <summary>
/// A local folder feed holding LayerBuilder.MSBuild packed from this checkout, made once per test run.
/// Each run packs a version of its own: NuGet caches a package by id and version for good, so reusing
/// one version would test whatever was packed first. The run's version is removed from the global
/// packages folder afterwards.
/// </summary>
public sealed class PackageFeed
{
    private PackageFeed(string folder, string version)
    {
        Folder = folder;
        Version = version;
    }

    /// <summary>As long as the pack script is given (PackagingTests).</summary>
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(25);

    public string Folder { get; }

    public string Version { get; }

    public static async Task<PackageFeed> PackAsync(string root)
    {
        var version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var folder = Path.Combine(root, "feed");
        var project = Path.Combine(RepositoryRoot(), "src", "LayerBuilder.MSBuild", "LayerBuilder.MSBuild.csproj");

        // Its own artifacts folder: the solution's bin and obj may be in use by the test run itself. The pack
        // builds the task twice (IL, and precompiled for linux-x64: docs/decisions.md D76), which on a busy
        // machine takes longer than the ten minutes a single dotnet command is given.
        var packed = await ProcessRunner.RunAsync(Dotnet.StartInfo(root,
            ["pack", project, "-c", "Release", "-o", folder, "--artifacts-path", Path.Combine(root, "artifacts"),
             $"-p:Version={version}", .. Dotnet.BuildArguments]), PackTimeout);
        Assert.That(packed.ExitCode, Is.Zero, packed.Describe);
        Assert.That(File.Exists(Path.Combine(folder, $"LayerBuilder.MSBuild.{version}.nupkg")), packed.Describe);
        return new PackageFeed(folder, version);
    }

    /// <summary>A nuget.config that adds this feed; no <c>&lt;clear/&gt;</c>, so the machine's own
    /// sources still serve the runtime packs and the packages the sample apps use.</summary>
    public string NuGetConfig() => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <add key="layerbuilder-test-feed" value="{Folder}" />
          </packageSources>
        </configuration>

        """;

    /// <summary>Takes this run's version out of the global packages folder, where restore put it.</summary>
    public async Task RemoveFromGlobalPackagesAsync()
    {
        var locals = await Dotnet.RunAsync(Folder, "nuget", "locals", "global-packages", "--list");
        var line = locals.StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith("global-packages:", StringComparison.Ordinal));
        if (line is null)
        {
            return;
        }

        var installed = Path.Combine(line["global-packages:".Length..].Trim(), "layerbuilder.msbuild", Version.ToLowerInvariant());
        if (Directory.Exists(installed))
        {
            Directory.Delete(installed, recursive: true);
        }
    }

    /// <summary>The checkout the tests were built from: the folder above them that holds the solution.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "LayerBuilder.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no LayerBuilder.sln above {TestContext.CurrentContext.TestDirectory}");
    }
}
