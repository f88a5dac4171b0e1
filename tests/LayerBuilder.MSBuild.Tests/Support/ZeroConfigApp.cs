namespace LayerBuilder.MSBuild.Tests.Support;

/// <summary>
/// A fresh app for the publish route with no hand-written recipe: the package referenced, a few
/// properties and items, and <c>dotnet publish</c>. <see cref="UseTestBase"/> is a property of the
/// project, so a run can drop the test base and see the default the targets choose.
/// </summary>
public sealed class ZeroConfigApp
{
    private ZeroConfigApp(string folder, string name)
    {
        Folder = folder;
        Name = name;
    }

    public string Folder { get; }

    /// <summary>The assembly name, with capitals: the image name is its lower-cased form.</summary>
    public string Name { get; }

    public string ProgramPath => Path.Combine(Folder, "Program.cs");

    public string RecipePath => Path.Combine(Folder, "layerbuild.yml");

    public string PublishDir => Path.Combine(Folder, "bin", "Release", "net10.0", "linux-x64", "publish");

    public string DefaultArchive => Path.Combine(Folder, "bin", "Release", "net10.0", "linux-x64", Name + ".tar");

    public const string UseTestBase = "UseTestBase";

    /// <summary>Makes the project; <paramref name="properties"/> and <paramref name="items"/> are MSBuild XML.</summary>
    public static ZeroConfigApp Create(string root, PackageFeed feed, string name, string sdk, string baseImage, string properties, string items, string program)
    {
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(root, "Directory.Packages.props"), "<Project />\n");
        var folder = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
        File.WriteAllText(Path.Combine(folder, "nuget.config"), feed.NuGetConfig());
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), $"""
            <Project Sdk="{sdk}">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
                <ImplicitUsings>enable</ImplicitUsings>
                <InvariantGlobalization>true</InvariantGlobalization>
                {properties}
              </PropertyGroup>
              <PropertyGroup Condition="'$({UseTestBase})' != 'false'">
                <LayerBuildBaseImage>{baseImage}</LayerBuildBaseImage>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="LayerBuilder.MSBuild" Version="{feed.Version}" PrivateAssets="all" />
                {items}
              </ItemGroup>
              <Target Name="ShowImage" AfterTargets="LayerBuild">
                <Message Importance="high" Text="IMAGE %(LayerBuildImage.Identity) tags=%(LayerBuildImage.Tags) index=%(LayerBuildImage.IndexDigest)" />
              </Target>
            </Project>

            """);
        var app = new ZeroConfigApp(folder, name);
        app.WriteProgram(program);
        return app;
    }

    public void WriteProgram(string program) => File.WriteAllText(ProgramPath, program);

    public Task<ProcessResult> PublishAsync(params string[] extra) =>
        Dotnet.RunAsync(Folder, ["publish", "-c", "Release", .. Dotnet.BuildArguments, .. extra]);

    /// <summary>The value a property has after the targets that compute it ran, without publishing.</summary>
    public async Task<string> PropertyAfterPrepareAsync(string property, params string[] extra)
    {
        var run = await Dotnet.RunAsync(Folder, ["msbuild", "-restore", "-t:_LayerBuildPrepare", $"-getProperty:{property}", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false", .. extra]);
        Assert.That(run.ExitCode, Is.Zero, run.Describe);
        return run.StandardOutput.Trim();
    }
}
