using System.Text.Json;
using System.Text.RegularExpressions;
using LayerBuilder.Build;
using LayerBuilder.Cache;
using LayerBuilder.MSBuild.Tests.Support;
using LayerBuilder.Recipe;

namespace LayerBuilder.MSBuild.Tests;

/// <summary>
/// Several platforms from one publish (docs/msbuild.md, "Several platforms"): with
/// <c>LayerBuildRuntimeIdentifiers=linux-x64;linux-arm64</c> a framework-dependent app is published once per
/// runtime identifier over a two-platform base in a loopback registry, and the oci archive holds one image
/// index whose arm64 image carries the arm64 publish; docker runs the amd64 image the same publish loaded.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class RuntimeIdentifiersTests
{
    private const string AppName = "PlatApp";
    private const string Image = "platapp";

    /// <summary>ELF <c>e_machine</c> (offset 18, little-endian): what CPU a native file is for.</summary>
    private const int ElfMachineOffset = 18;
    private const byte ElfMachineX64 = 0x3E;
    private const byte ElfMachineAarch64 = 0xB7;

    private Docker docker = null!;
    private RegistryServer registry = null!;
    private ZeroConfigApp app = null!;
    private string root = null!;

    [OneTimeSetUp]
    public async Task CreateAppAndBase()
    {
        docker = await Engines.DockerAsync();
        RegistryServer.RequireTools();
        var feed = await TestRun.FeedAsync();
        var rootfs = await TestRun.RootfsAsync();
        root = Directory.CreateDirectory(Path.Combine(TestRun.Root, "runtime-identifiers")).FullName;
        registry = await RegistryServer.StartPlainAsync();
        var baseImage = await PushTwoPlatformRuntimeAsync(rootfs);
        app = ZeroConfigApp.Create(root, feed, AppName, "Microsoft.NET.Sdk", baseImage,
            """
            <RuntimeIdentifiers>linux-x64;linux-arm64</RuntimeIdentifiers>
                <LayerBuildRuntimeIdentifiers>linux-x64;linux-arm64</LayerBuildRuntimeIdentifiers>
                <LayerBuildFormat>oci</LayerBuildFormat>
            """,
            "",
            """
            Console.WriteLine($"running on {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}");

            """);
    }

    [OneTimeTearDown]
    public async Task StopRegistry()
    {
        if (docker is not null)
        {
            await docker.RemoveImagesAsync([$"{Image}:latest", $"{Image}:1.0.0"]);
        }

        if (registry is not null)
        {
            await registry.DisposeAsync();
        }
    }

    [Test]
    [Order(1)]
    public async Task A_publish_with_two_runtime_identifiers_writes_one_index_each_platform_with_its_own_publish_and_loads_the_engines()
    {
        var start = Dotnet.StartInfo(app.Folder, ["publish", "-c", "Release", "-p:LayerBuildLoad=true", .. Dotnet.BuildArguments]);
        start.Environment["DOCKER_HOST"] = docker.Host;
        start.Environment["XDG_CACHE_HOME"] = Path.Combine(root, "cache");

        var publish = await ProcessRunner.RunAsync(start, TimeSpan.FromMinutes(10));

        Assert.That(publish.ExitCode, Is.Zero, publish.Describe);
        var item = IndexItem().Match(publish.StandardOutput);
        Assert.That(item.Success, Is.True, "the item carries no IndexDigest:\n" + publish.Describe());
        var layout = Directory.CreateDirectory(Path.Combine(root, "layout")).FullName;
        await ProcessRunner.RunCheckedAsync("tar", ["-xf", app.DefaultArchive, "-C", layout]);
        using var layoutIndex = Json(layout, null);
        var indexDigest = Digest(layoutIndex.RootElement.GetProperty("manifests")[0]);
        using var top = Json(layout, indexDigest);
        var platforms = top.RootElement.GetProperty("manifests").EnumerateArray()
            .ToDictionary(m => m.GetProperty("platform").GetProperty("architecture").GetString()!, Digest);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(item.Groups["index"].Value, Is.EqualTo(indexDigest), "the item's IndexDigest is what index.json names");
            Assert.That(platforms.Keys, Is.EqualTo(new[] { "amd64", "arm64" }), "one image per runtime identifier, in their order");
            Assert.That(await AppHostMachineAsync(layout, platforms["amd64"]), Is.EqualTo(ElfMachineX64));
            Assert.That(await AppHostMachineAsync(layout, platforms["arm64"]), Is.EqualTo(ElfMachineAarch64), "the arm64 image holds the linux-arm64 publish");
            Assert.That(publish.StandardOutput, Does.Contain($"LayerBuild: Loaded image: {Image}:1.0.0"), publish.Describe);
        }

        Assert.That(await docker.RunImageAsync($"{Image}:1.0.0"), Is.EqualTo("running on X64\n"), "docker runs the amd64 image");
    }

    [Test]
    [Order(2)]
    public async Task A_runtime_identifier_that_is_not_linux_is_refused_before_any_publish()
    {
        var run = await Dotnet.RunAsync(app.Folder, ["msbuild", "-t:_LayerBuildPublishPlatforms", "-p:LayerBuildRuntimeIdentifiers=linux-x64%3Bwin-x64", .. Dotnet.BuildArguments]);

        Assert.That(run.ExitCode, Is.Not.Zero, run.Describe);
        Assert.That(run.StandardOutput, Does.Contain("error LB8004: LayerBuildRuntimeIdentifiers has 'win-x64', which is not a Linux runtime identifier"), run.Describe);
        Assert.That(run.StandardOutput, Does.Not.Contain("_LayerBuildPlatformRecipe"), "no publish ran");
    }

    [Test]
    [Order(3)]
    public async Task An_identifier_that_RuntimeIdentifiers_lacks_is_refused_before_any_publish()
    {
        var run = await Dotnet.RunAsync(app.Folder, ["msbuild", "-t:_LayerBuildPublishPlatforms", "-p:LayerBuildRuntimeIdentifiers=linux-x64%3Blinux-musl-arm64", .. Dotnet.BuildArguments]);

        Assert.That(run.ExitCode, Is.Not.Zero, run.Describe);
        Assert.That(run.StandardOutput, Does.Contain("error LB8011: LayerBuildRuntimeIdentifiers has 'linux-musl-arm64', which RuntimeIdentifiers does not list"), run.Describe);
        Assert.That(run.StandardOutput, Does.Not.Contain("_LayerBuildPlatformRecipe"), "no publish ran");
    }

    [Test]
    [Order(4)]
    public async Task Without_LayerBuildRuntimeIdentifiers_the_list_is_RuntimeIdentifiers_unless_one_RuntimeIdentifier_is_set()
    {
        var fallback = await app.PropertyAfterPrepareAsync("_LayerBuildRuntimeIdentifiers", "-p:LayerBuildRuntimeIdentifiers=", "-p:RuntimeIdentifier=");
        var single = await app.PropertyAfterPrepareAsync("_LayerBuildRuntimeIdentifiers", "-p:LayerBuildRuntimeIdentifiers=");

        Assert.That(fallback, Is.EqualTo("linux-x64;linux-arm64"), "as the SDK's ContainerRuntimeIdentifiers defaults to RuntimeIdentifiers");
        Assert.That(single, Is.Empty, "the project's RuntimeIdentifier (linux-x64) makes one image");
    }

    [Test]
    [Order(5)]
    public async Task A_layerbuild_yml_that_sets_a_platform_is_refused_with_several_identifiers()
    {
        File.WriteAllText(app.RecipePath, "platform: linux/amd64\n");
        try
        {
            var publish = await app.PublishAsync();

            Assert.That(publish.ExitCode, Is.Not.Zero, publish.Describe);
            Assert.That(publish.StandardOutput, Does.Contain("error LB8010: the recipe makes platform linux/amd64, but runtime identifier linux-arm64 is linux/arm64"), publish.Describe);
        }
        finally
        {
            File.Delete(app.RecipePath);
        }
    }

    [Test]
    [Order(6)]
    public async Task Two_identifiers_of_one_platform_are_refused()
    {
        var publish = await app.PublishAsync("-p:LayerBuildRuntimeIdentifiers=\"linux-x64;linux-musl-x64\"", "-p:RuntimeIdentifiers=\"linux-x64;linux-musl-x64\"");

        Assert.That(publish.ExitCode, Is.Not.Zero, publish.Describe);
        Assert.That(publish.StandardOutput, Does.Contain("error LB1072: LayerBuildRuntimeIdentifiers has 'linux-x64' and 'linux-musl-x64', both linux/amd64"), publish.Describe);
    }

    /// <summary>A runtime base in the registry for linux/amd64 and linux/arm64, made from the minbase and this
    /// machine's .NET runtime (so only the amd64 one can run, which is all the test runs).</summary>
    private async Task<string> PushTwoPlatformRuntimeAsync(string rootfs)
    {
        var recipe = Path.Combine(root, "runtime.yml");
        File.WriteAllText(recipe, $$"""
            image: {{registry.Host}}/msbuild/runtime
            tags: ["10.0"]
            platforms: [linux/amd64, linux/arm64]
            base: { rootfs: "{{rootfs}}" }
            steps:
            {{TestBases.RuntimeStep()}}
            """);
        var request = BuildRequest.ToRegistry(RecipeParser.ParseFile(recipe)) with { Cache = new LayerCache(Path.Combine(root, "base-cache")) };
        var pushed = await ImageBuilder.BuildAsync(request);
        Assert.That(pushed.IndexDigest, Is.Not.Null, "the base is an index");
        return $"{registry.Host}/msbuild/runtime:10.0";
    }

    /// <summary>The ELF machine byte of the apphost in the platform image's last layer (the app's own files).</summary>
    private static async Task<byte> AppHostMachineAsync(string layout, string manifestDigest)
    {
        using var manifest = Json(layout, manifestDigest);
        var layer = Path.Combine(layout, "blobs", "sha256", Digest(manifest.RootElement.GetProperty("layers").EnumerateArray().Last())["sha256:".Length..]);
        var folder = Directory.CreateDirectory(Path.Combine(layout, "files-" + manifestDigest["sha256:".Length..][..12])).FullName;
        await ProcessRunner.RunCheckedAsync("tar", ["-xf", layer, "-C", folder, $"app/{AppName}"]);
        var header = new byte[ElfMachineOffset + 1];
        await using var apphost = File.OpenRead(Path.Combine(folder, "app", AppName));
        await apphost.ReadExactlyAsync(header);
        return header[ElfMachineOffset];
    }

    /// <summary>index.json (<paramref name="digest"/> null) or a blob of the layout, as JSON.</summary>
    private static JsonDocument Json(string layout, string? digest) => JsonDocument.Parse(File.ReadAllText(digest is null
        ? Path.Combine(layout, "index.json")
        : Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..])));

    private static string Digest(JsonElement descriptor) => descriptor.GetProperty("digest").GetString()!;

    [GeneratedRegex(@"IMAGE \S+ tags=\S* index=(?<index>sha256:[0-9a-f]{64})")]
    private static partial Regex IndexItem();
}
