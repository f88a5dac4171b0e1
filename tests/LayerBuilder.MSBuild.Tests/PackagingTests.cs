using LayerBuilder.MSBuild.Tests.Support;

namespace LayerBuilder.MSBuild.Tests;

/// <summary>
/// pack.sh, as the README tells a user to run it from a clone: one command makes every package, all with
/// the commit's prerelease version (0.1.0-dev.COMMIT), and <c>dotnet tool install</c> from that folder
/// alone gives a tool that runs and says that version.
/// </summary>
[TestFixture]
public sealed class PackagingTests
{
    [Test]
    public async Task The_pack_script_makes_every_package_tool_install_needs_with_the_commits_version()
    {
        var root = PackageFeed.RepositoryRoot();
        var head = await ProcessRunner.RunAsync("git", ["-C", root, "rev-parse", "--short=12", "HEAD"]);
        var version = head.Succeeded ? $"0.1.0-dev.{head.StandardOutput.Trim()}" : "0.1.0";
        var feed = Path.Combine(TestRun.Root, "pack-script");
        var native = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "linux-arm64" : "linux-x64";

        var packed = await ProcessRunner.RunAsync(
            ProcessRunner.Prepare("sh", [Path.Combine(root, "pack.sh"), feed], root, Dotnet.CleanEnvironment()), TimeSpan.FromMinutes(25));

        Assert.That(packed.ExitCode, Is.Zero, packed.Describe);
        Assert.That(packed.StandardOutput, Does.Contain($"packed {version} into {feed}"), packed.Describe);
        Assert.That(Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName), Is.EquivalentTo(new[]
        {
            $"LayerBuilder.{version}.nupkg", $"LayerBuilder.MSBuild.{version}.nupkg", $"LayerBuilder.Tool.{version}.nupkg",
            $"LayerBuilder.Tool.any.{version}.nupkg", $"LayerBuilder.Tool.{native}.{version}.nupkg",
        }));

        // Only this folder as a source: what the script made must be enough.
        var config = Path.Combine(TestRun.Root, "pack-script.nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{feed}" />
              </packageSources>
            </configuration>

            """);
        var tools = Path.Combine(TestRun.Root, "pack-script-tools");
        var install = await Dotnet.RunAsync(TestRun.Root, "tool", "install", "LayerBuilder.Tool", "--tool-path", tools, "--configfile", config, "--version", version);
        Assert.That(install.ExitCode, Is.Zero, install.Describe);

        var run = await ProcessRunner.RunAsync(Path.Combine(tools, "dotnet-layerbuild"), ["--version"]);
        Assert.That(run.ExitCode, Is.Zero, run.Describe);
        Assert.That(run.StandardOutput, Does.StartWith(version), run.Describe);
    }
}
