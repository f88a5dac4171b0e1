namespace LayerBuilder.MSBuild.Tests.Support;

/// <summary>
/// A fresh console app outside the repository that uses LayerBuilder.MSBuild as a user would: a
/// PackageReference from a nuget.config source, a layerbuild.yml beside the project (picked up without
/// any property), and <c>dotnet publish</c>.
/// </summary>
public sealed class SampleApp
{
    public const string ImageName = "layerbuilder-msbuild-test/sample";

    public const string Version = "2.3.4";

    /// <summary>The good recipe; <see cref="BrokenRecipe"/> differs at line 15, column 5.</summary>
    public const string Recipe = """
        # A sample image: the published app on a Debian root filesystem.
        image: layerbuilder-msbuild-test/sample
        tags: ["${Version}"]
        created: "2024-01-01T00:00:00Z"
        base:
          rootfs: ${BASE_ROOTFS}
        config:
          entrypoint: ["/app/${AssemblyName}"]
          env: { APP_VERSION: "${Version}" }
          workdir: /app
          labels: { org.layerbuilder.test: msbuild }
        steps:
          - name: app
            # what dotnet publish wrote, as it is
            copy:
              - { src: "${PublishDir}", dest: /app/ }

        """;

    public static readonly string BrokenRecipe = Recipe.Replace("    copy:", "    cpy:", StringComparison.Ordinal);

    private SampleApp(string folder) => Folder = folder;

    public string Folder { get; }

    public string RecipePath => Path.Combine(Folder, "layerbuild.yml");

    public string ProgramPath => Path.Combine(Folder, "Program.cs");

    /// <summary>Where the archive goes by default: <c>$(OutDir)$(AssemblyName).tar</c>.</summary>
    public string DefaultArchive => Path.Combine(Folder, "bin", "Release", "net10.0", "linux-x64", "sample.tar");

    public static SampleApp Create(string root, PackageFeed feed, string rootfs)
    {
        // Stop MSBuild's and NuGet's upward search for repository-wide settings at the run's folder.
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(root, "Directory.Packages.props"), "<Project />\n");

        var folder = Directory.CreateDirectory(Path.Combine(root, "sample")).FullName;

        // The test feed is added; no <clear/>, so the machine's own sources still serve the runtime packs.
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="layerbuilder-test-feed" value="{feed.Folder}" />
              </packageSources>
            </configuration>

            """);

        // A later target reads the LayerBuildImage item, as a push or load step would.
        File.WriteAllText(Path.Combine(folder, "sample.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
                <SelfContained>true</SelfContained>
                <InvariantGlobalization>true</InvariantGlobalization>
                <Version>{Version}</Version>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="LayerBuilder.MSBuild" Version="{feed.Version}" PrivateAssets="all" />
                <LayerBuildArg Include="BASE_ROOTFS" Value="{rootfs}" />
              </ItemGroup>
              <Target Name="ShowImage" AfterTargets="LayerBuild">
                <Message Importance="high" Text="IMAGE %(LayerBuildImage.Identity) id=%(LayerBuildImage.ImageId) tags=%(LayerBuildImage.Tags) manifest=%(LayerBuildImage.ManifestDigest) format=%(LayerBuildImage.Format) pushed=%(LayerBuildImage.PushedManifestDigest)" />
              </Target>
            </Project>

            """);

        var app = new SampleApp(folder);
        app.WriteProgram("Hello");
        File.WriteAllText(app.RecipePath, Recipe);
        return app;
    }

    public void WriteProgram(string greeting) => File.WriteAllText(ProgramPath, $$"""
        System.Console.WriteLine($"{{greeting}} from sample {typeof(Program).Assembly.GetName().Version}, APP_VERSION={System.Environment.GetEnvironmentVariable("APP_VERSION")}");

        """);

    public static string[] PublishArguments(params string[] extra) =>
        ["publish", "-c", "Release", .. Dotnet.BuildArguments, .. extra];

    public Task<ProcessResult> PublishAsync(params string[] extra) => Dotnet.RunAsync(Folder, PublishArguments(extra));
}
