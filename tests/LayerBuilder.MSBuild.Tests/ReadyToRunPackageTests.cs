using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using LayerBuilder.MSBuild.Tests.Support;

namespace LayerBuilder.MSBuild.Tests;

/// <summary>
/// The package carries the task assemblies twice (docs/decisions.md D76): as IL in <c>tasks/net10.0/</c>,
/// which runs everywhere, and precompiled (ReadyToRun) for linux-x64 in <c>tasks/net10.0/linux-x64/</c>, so
/// a fresh MSBuild process there does not JIT-compile LayerBuilder's build path on every publish. MSBuild
/// refuses a task assembly precompiled for another platform, so the IL set must stay as it is; and the
/// targets must pick the precompiled set on this (Linux x64) machine, or it is shipped for nothing.
/// </summary>
[TestFixture]
public sealed class ReadyToRunPackageTests
{
    private const string IlFolder = "tasks/net10.0/";
    private const string ReadyToRunFolder = "tasks/net10.0/linux-x64/";

    /// <summary>What ReadyToRun code for Linux records as the machine: the architecture's value with the
    /// operating system's mark (0x7B79) XOR-ed in, so no other platform takes the code for its own.</summary>
    private const ushort LinuxMachineMark = 0x7B79;

    /// <summary>The assemblies that run on the publish path: the task, the library, the recipe reader.</summary>
    private static readonly string[] BuildPathAssemblies = ["LayerBuilder.MSBuild.dll", "LayerBuilder.dll", "YamlDotNet.dll"];

    [Test]
    public async Task The_package_has_one_set_of_IL_task_assemblies_and_the_same_set_ReadyToRun_for_linux_x64()
    {
        var feed = await TestRun.FeedAsync();
        var packages = Directory.GetFiles(feed.Folder, "LayerBuilder.MSBuild.*.nupkg");
        Assert.That(packages, Has.Length.EqualTo(1), "one package, whatever the platform");

        using var package = ZipFile.OpenRead(packages[0]);
        var il = AssembliesIn(package, IlFolder);
        var readyToRun = AssembliesIn(package, ReadyToRunFolder);
        Assert.That(il.Select(e => e.Name), Is.SupersetOf(BuildPathAssemblies));
        Assert.That(readyToRun.Select(e => e.Name), Is.EquivalentTo(il.Select(e => e.Name)), "the same assemblies in both sets");
        Assert.That(package.GetEntry(ReadyToRunFolder + "LayerBuilder.MSBuild.deps.json"), Is.Not.Null, "the load context's .deps.json beside the precompiled set");

        foreach (var entry in il)
        {
            var headers = ReadHeaders(entry);
            Assert.Multiple(() =>
            {
                Assert.That(headers.CorHeader!.Flags.HasFlag(CorFlags.ILLibrary), Is.False, $"{entry.FullName}: precompiled, but this set must run everywhere");
                Assert.That(headers.CoffHeader.Machine, Is.EqualTo(Machine.I386), $"{entry.FullName}: not platform-neutral");
            });
        }

        foreach (var entry in readyToRun)
        {
            var headers = ReadHeaders(entry);
            var cor = headers.CorHeader;
            Assert.That(cor, Is.Not.Null, $"{entry.FullName} is no .NET assembly");
            Assert.Multiple(() =>
            {
                // ILLibrary and a managed native header: crossgen's mark of a ReadyToRun image.
                Assert.That(cor!.Flags.HasFlag(CorFlags.ILLibrary), Is.True, $"{entry.FullName}: not ReadyToRun");
                Assert.That(cor.ManagedNativeHeaderDirectory.Size, Is.GreaterThan(0), $"{entry.FullName}: no ReadyToRun header");
                Assert.That((ushort)headers.CoffHeader.Machine, Is.EqualTo((ushort)Machine.Amd64 ^ LinuxMachineMark),
                    $"{entry.FullName}: not compiled for linux-x64");
            });
        }
    }

    [Test]
    public async Task The_targets_load_the_precompiled_set_on_linux_x64_and_the_IL_set_elsewhere()
    {
        var feed = await TestRun.FeedAsync();
        var folder = Directory.CreateDirectory(Path.Combine(TestRun.Root, "task-assembly-choice")).FullName;

        // Stop MSBuild's upward search for repository-wide settings at this folder.
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "nuget.config"), feed.NuGetConfig());
        File.WriteAllText(Path.Combine(folder, "choice.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup><PackageReference Include="LayerBuilder.MSBuild" Version="{feed.Version}" PrivateAssets="all" /></ItemGroup>
            </Project>

            """);

        // Restored first: the package's targets are imported only once restore has written the project's imports.
        var restored = await Dotnet.RunAsync(folder, "restore", "choice.csproj", "-nologo");
        Assert.That(restored.ExitCode, Is.Zero, restored.Describe);
        var evaluated = await Dotnet.RunAsync(folder, "msbuild", "choice.csproj", "-getProperty:_LayerBuildTaskAssembly", "-nologo", "-nodeReuse:false");
        Assert.That(evaluated.ExitCode, Is.Zero, evaluated.Describe);
        Assert.That(evaluated.StandardOutput.Trim(), Is.Not.Empty, evaluated.Describe);

        var chosen = Path.GetFullPath(evaluated.StandardOutput.Trim()).Replace('\\', '/');
        var expected = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? ReadyToRunFolder : IlFolder;
        Assert.That(chosen, Does.EndWith("/" + expected + "LayerBuilder.MSBuild.dll"), evaluated.Describe);
        Assert.That(File.Exists(chosen), chosen);
    }

    private static List<ZipArchiveEntry> AssembliesIn(ZipArchive package, string folder) =>
        package.Entries.Where(e => e.FullName.StartsWith(folder, StringComparison.Ordinal)
            && !e.FullName[folder.Length..].Contains('/', StringComparison.Ordinal)
            && e.FullName.EndsWith(".dll", StringComparison.Ordinal)).ToList();

    private static PEHeaders ReadHeaders(ZipArchiveEntry entry)
    {
        // PEReader wants a seekable stream; a task assembly is a few MB at most.
        using var copy = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(copy);
        }

        copy.Position = 0;
        using var reader = new PEReader(copy);
        return reader.PEHeaders;
    }
}
