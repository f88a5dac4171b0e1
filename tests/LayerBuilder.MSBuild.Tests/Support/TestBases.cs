namespace LayerBuilder.MSBuild.Tests.Support;

/// <summary>
/// Base image archives for the publish route, made once per run from the Debian minbase with the packed
/// task itself (a <c>LayerBuild</c> target per recipe), since the tests have no registry to pull
/// Microsoft's bases from: <see cref="RuntimeDeps"/> stands for <c>runtime-deps</c> (the minbase alone),
/// <see cref="Runtime"/> for <c>runtime</c> (the minbase with this machine's .NET runtime where
/// Microsoft's images put it, <c>/usr/share/dotnet</c>, and <c>/usr/bin/dotnet</c> linking to it).
/// </summary>
public sealed class TestBases
{
    private TestBases(string runtimeDeps, string runtime)
    {
        RuntimeDeps = runtimeDeps;
        Runtime = runtime;
    }

    public string RuntimeDeps { get; }

    public string Runtime { get; }

    public static async Task<TestBases> MakeAsync(string root, PackageFeed feed, string rootfs)
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, "bases")).FullName;
        File.WriteAllText(Path.Combine(folder, "nuget.config"), feed.NuGetConfig());
        File.WriteAllText(Path.Combine(folder, "runtime-deps.yml"), $$"""
            image: layerbuilder-msbuild-test/runtime-deps
            tags: ["10.0"]
            base: { rootfs: "{{rootfs}}" }
            steps:
              - name: app folder
                dirs: [{ path: /app }]

            """);
        File.WriteAllText(Path.Combine(folder, "runtime.yml"), $$"""
            image: layerbuilder-msbuild-test/runtime
            tags: ["10.0"]
            base: { rootfs: "{{rootfs}}" }
            config:
              env: { DOTNET_VERSION: "{{RuntimeVersion()}}" }
            steps:
            {{RuntimeStep()}}
            """);
        File.WriteAllText(Path.Combine(folder, "bases.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="LayerBuilder.MSBuild" Version="{feed.Version}" PrivateAssets="all" />
                <Base Include="runtime-deps;runtime" />
              </ItemGroup>
              <Target Name="Bases">
                <MSBuild Projects="$(MSBuildProjectFullPath)" Targets="LayerBuild"
                         Properties="LayerBuildRecipe=%(Base.Identity).yml;LayerBuildOutput=%(Base.Identity).tar;IntermediateOutputPath=obj/%(Base.Identity)/" />
              </Target>
            </Project>

            """);
        var made = await Dotnet.RunAsync(folder, ["msbuild", "bases.csproj", "-restore", "-t:Bases", .. Dotnet.BuildArguments]);
        Assert.That(made.ExitCode, Is.Zero, made.Describe);
        return new TestBases(Path.Combine(folder, "runtime-deps.tar"), Path.Combine(folder, "runtime.tar"));
    }

    /// <summary>The recipe step (under <c>steps:</c>) that lays this machine's .NET runtime where Microsoft's
    /// runtime images have it, <c>/usr/share/dotnet</c>, with <c>/usr/bin/dotnet</c> linking to it.</summary>
    internal static string RuntimeStep()
    {
        var dotnetRoot = DotnetRoot();
        var version = RuntimeVersion();
        return $$"""
              - name: dotnet runtime
                copy:
                  - { src: "{{dotnetRoot}}/dotnet", dest: /usr/share/dotnet/dotnet }
                  - { src: "{{dotnetRoot}}/host/", dest: /usr/share/dotnet/host/ }
                  - { src: "{{dotnetRoot}}/shared/Microsoft.NETCore.App/{{version}}/", dest: "/usr/share/dotnet/shared/Microsoft.NETCore.App/{{version}}/" }
                symlinks:
                  - { path: /usr/bin/dotnet, target: ../share/dotnet/dotnet }

            """;
    }

    /// <summary>The newest .NET 10 runtime of the install the tests run on.</summary>
    internal static string RuntimeVersion() =>
        Path.GetFileName(Directory.GetDirectories(Path.Combine(DotnetRoot(), "shared", "Microsoft.NETCore.App"))
            .Where(d => Path.GetFileName(d).StartsWith("10.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).Last());

    /// <summary>The .NET install the tests run on (the folder holding <c>dotnet</c>, <c>host</c>, <c>shared</c>).</summary>
    internal static string DotnetRoot()
    {
        var executable = new FileInfo(Dotnet.Executable);
        var target = executable.LinkTarget is null ? executable : executable.ResolveLinkTarget(returnFinalTarget: true)!;
        return Path.GetDirectoryName(target.FullName)!;
    }
}
