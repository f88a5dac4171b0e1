using System.Text.Json;
using System.Text.RegularExpressions;
using LayerBuilder.MSBuild.Tests.Support;

namespace LayerBuilder.MSBuild.Tests;

/// <summary>
/// The MSBuild task, packed and restored as a user gets it and run by a real <c>dotnet msbuild</c>, builds
/// every golden fixture in every format (tests/golden/golden.json) to the committed bytes: the same
/// archive, image id and manifest digest as the library and the CLI. One msbuild run builds all of them
/// (the <c>LayerBuild</c> target called once per fixture and format, each with its own settings).
/// </summary>
[TestFixture]
public sealed partial class GoldenValuesTests
{
    /// <summary>Two fixtures in four formats; fewer means golden.json lost cases.</summary>
    private const int MinimumCases = 8;

    private static readonly Lazy<IReadOnlyList<Golden>> Goldens = new(Load);

    private string folder = "";
    private ProcessResult build = null!;

    public static IEnumerable<TestCaseData> Cases()
    {
        Assert.That(Goldens.Value, Has.Count.GreaterThanOrEqualTo(MinimumCases), "golden.json lost cases");
        return Goldens.Value.Select(g => new TestCaseData(g).SetArgDisplayNames(g.Fixture, g.Format));
    }

    [OneTimeSetUp]
    public async Task BuildEveryGoldenImageWithMsbuild()
    {
        var feed = await TestRun.FeedAsync();
        folder = Directory.CreateDirectory(Path.Combine(TestRun.Root, "golden")).FullName;

        // Stop MSBuild's and NuGet's upward search for repository-wide settings at this folder.
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="layerbuilder-test-feed" value="{feed.Folder}" />
              </packageSources>
            </configuration>

            """);

        var items = string.Join("\n", Goldens.Value.Select(g =>
            $"""    <GoldenImage Include="{g.Key}" Recipe="{g.Recipe}" Format="{g.MsbuildFormat}" Compression="{g.MsbuildCompression}" Archive="{Archive(g)}" />"""));
        File.WriteAllText(Path.Combine(folder, "golden.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="LayerBuilder.MSBuild" Version="{feed.Version}" PrivateAssets="all" />
              </ItemGroup>
              <ItemGroup>
            {items}
              </ItemGroup>
              <!-- The LayerBuild target once per golden image, each with its own recipe, format and state files. -->
              <Target Name="GoldenImages">
                <MSBuild Projects="$(MSBuildProjectFullPath)" Targets="LayerBuild"
                         Properties="LayerBuildRecipe=%(GoldenImage.Recipe);LayerBuildFormat=%(GoldenImage.Format);LayerBuildCompression=%(GoldenImage.Compression);LayerBuildOutput=%(GoldenImage.Archive);IntermediateOutputPath=obj/%(GoldenImage.Identity)/">
                  <Output TaskParameter="TargetOutputs" ItemName="BuiltImage" />
                </MSBuild>
                <Message Importance="high" Text="GOLDEN %(BuiltImage.Identity) id=%(BuiltImage.ImageId) manifest=%(BuiltImage.ManifestDigest)" />
              </Target>
            </Project>

            """);

        build = await Dotnet.RunAsync(folder, ["msbuild", "golden.csproj", "-restore", "-t:GoldenImages", .. Dotnet.BuildArguments]);
        Assert.That(build.ExitCode, Is.Zero, build.Describe);
    }

    [TestCaseSource(nameof(Cases))]
    public async Task The_msbuild_task_builds_the_golden_bytes(Golden golden)
    {
        var archive = Archive(golden);
        var reported = Reported().Matches(build.StandardOutput).SingleOrDefault(m => m.Groups["archive"].Value == archive);

        Assert.That(reported, Is.Not.Null, "msbuild reported no LayerBuildImage for " + archive + "\n" + build.Describe());
        var sha256sum = await ProcessRunner.RunCheckedAsync("sha256sum", [archive]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sha256sum.StandardOutput.Split(' ')[0], Is.EqualTo(golden.ArchiveSha256), "the archive's bytes");
            Assert.That(reported!.Groups["id"].Value, Is.EqualTo(golden.ImageId));
            Assert.That(reported.Groups["manifest"].Value, Is.EqualTo(golden.ManifestDigest));
        }
    }

    private string Archive(Golden golden) => Path.Combine(folder, "images", golden.Key + ".tar");

    private static List<Golden> Load()
    {
        var root = PackageFeed.RepositoryRoot();
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "tests", "golden", "golden.json")));
        var goldens = new List<Golden>();
        foreach (var fixture in document.RootElement.GetProperty("fixtures").EnumerateObject())
        {
            foreach (var image in fixture.Value.GetProperty("images").EnumerateObject())
            {
                goldens.Add(new Golden(
                    fixture.Name,
                    image.Name,
                    Path.Combine(root, fixture.Value.GetProperty("recipe").GetString()!),
                    image.Value.GetProperty("archiveSha256").GetString()!,
                    image.Value.GetProperty("imageId").GetString()!,
                    image.Value.GetProperty("manifestDigest").GetString()!));
            }
        }

        return goldens;
    }

    [GeneratedRegex(@"GOLDEN (?<archive>\S+) id=(?<id>\S*) manifest=(?<manifest>\S*)")]
    private static partial Regex Reported();

    /// <summary>One fixture in one format (docker, oci, oci+gzip, oci+zstd) and the values it must build to.</summary>
    public sealed record Golden(string Fixture, string Format, string Recipe, string ArchiveSha256, string ImageId, string ManifestDigest)
    {
        public string Key => $"{Fixture}-{Format.Replace('+', '-')}";

        public string MsbuildFormat => Format.Split('+')[0];

        public string MsbuildCompression => Format.Contains('+', StringComparison.Ordinal) ? Format.Split('+')[1] : "none";

        public override string ToString() => $"{Fixture} as {Format}";
    }
}
