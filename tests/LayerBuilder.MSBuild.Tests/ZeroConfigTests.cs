using System.Text.Json;
using System.Text.RegularExpressions;
using LayerBuilder.MSBuild.Tests.Support;

namespace LayerBuilder.MSBuild.Tests;

/// <summary>
/// The publish route with no hand-written recipe (docs/msbuild.md): a self-contained app that uses a
/// NuGet package gets the runtime, the packages and its own files in layers of their own, a code-only
/// change replaces only the app's layer, <c>LayerBuildLayering=single</c> keeps one layer, and the
/// defaults are the SDK's. A framework-dependent app with a layerbuild.yml that has no <c>image:</c>
/// gets that file laid over the property-made image. Each publish serves several checks (publishes are slow).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class ZeroConfigTests
{
    private const string Greeting = "zero config";
    private const string FirstCommitTime = "2024-05-06T07:08:09Z";
    private const string SecondCommitTime = "2025-02-03T04:05:06Z";

    private Docker docker = null!;
    private ZeroConfigApp app = null!;
    private TestBases bases = null!;
    private PackageFeed feed = null!;
    private ImageArchiveFiles? first;
    private ZeroConfigApp? web;
    private ZeroConfigApp? fd;
    private readonly HashSet<string> loadedImages = new(StringComparer.Ordinal);

    [OneTimeSetUp]
    public async Task CreateApp()
    {
        docker = await Engines.DockerAsync();
        feed = await TestRun.FeedAsync();
        bases = await TestRun.BasesAsync();
        var root = Directory.CreateDirectory(Path.Combine(TestRun.Root, "zero-config")).FullName;
        app = ZeroConfigApp.Create(root, feed, "ZeroApp", "Microsoft.NET.Sdk", bases.RuntimeDeps,
            """
            <SelfContained>true</SelfContained>
                <Version>1.2.3</Version>
                <Description>taken out below</Description>
                <RepositoryUrl>https://example.invalid/zeroapp.git</RepositoryUrl>
            """,
            """
            <PackageReference Include="Newtonsoft.Json" Version="13.0.3" />
                <LayerBuildPort Include="8080" />
                <LayerBuildPort Include="5353" Type="udp" />
                <LayerBuildEnvironmentVariable Include="GREETING_STYLE" Value="plain" />
                <LayerBuildLabel Include="org.example.team" Value="blue" />
                <LayerBuildLabel Include="org.opencontainers.image.title" Value="Zero" />
                <LayerBuildLabel Include="org.opencontainers.image.description" Value="" />
                <LayerBuildArg Include="NEVER_USED" Value="x" Condition="'$(UnusedArg)' == 'true'" />
            """,
            Program(Greeting));
        File.WriteAllText(Path.Combine(app.Folder, ".gitignore"), "bin/\nobj/\n");
        await Git.CommitAsync(app.Folder, FirstCommitTime, init: true);
    }

    [OneTimeTearDown]
    public async Task RemoveImages()
    {
        if (docker is not null)
        {
            await docker.RemoveImagesAsync(loadedImages);
        }
    }

    [Test]
    [Order(1)]
    public async Task With_only_the_package_and_a_base_a_publish_makes_a_runnable_image_in_runtime_package_and_app_layers()
    {
        var publish = await app.PublishAsync();

        Assert.That(publish.ExitCode, Is.Zero, publish.Describe);
        Assert.That(ImageItem().Match(publish.StandardOutput).Groups["tags"].Value, Is.EqualTo("zeroapp:1.2.3;zeroapp:latest"), publish.Describe);
        first = await ImageArchiveFiles.UnpackAsync(app.DefaultArchive, Path.Combine(TestRun.Root, "zero-config", "unpacked-1"));

        // The base's two layers, the non-root user it lacks, then the runtime, the packages and the app, in that order.
        Assert.That(first.LayerHistory.Skip(2), Is.EqualTo(new[]
        {
            "layerbuild step: app-user", "layerbuild step: dotnet-runtime", "layerbuild step: nuget-packages", "layerbuild step: app",
        }));
        var passwd = File.ReadAllText(await ImageArchiveFiles.ExtractAsync(first.LayerPaths[2], "etc/passwd"));
        var runtime = await ImageArchiveFiles.FilesOfAsync(first.LayerPaths[3]);
        var packages = await ImageArchiveFiles.FilesOfAsync(first.LayerPaths[4]);
        var own = await ImageArchiveFiles.FilesOfAsync(first.LayerPaths[5]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(runtime, Does.Contain("app/libcoreclr.so").And.Contain("app/System.Private.CoreLib.dll"));
            Assert.That(runtime, Has.None.Contains("ZeroApp").And.None.Contains("Newtonsoft"));
            Assert.That(packages, Is.EqualTo(new[] { "app/Newtonsoft.Json.dll" }));
            Assert.That(own, Does.Contain("app/ZeroApp").And.Contain("app/ZeroApp.dll").And.Contain("app/ZeroApp.deps.json"));
            Assert.That(own, Has.None.Contains("libcoreclr").And.None.Contains("Newtonsoft"));
            Assert.That(runtime.Count + packages.Count + own.Count, Is.EqualTo(Directory.GetFiles(app.PublishDir, "*", SearchOption.AllDirectories).Length),
                "every published file is in exactly one layer");

            Assert.That(passwd, Does.StartWith("root:x:0:0:").And.EndWith("\napp:x:1654:1654::/home/app:/bin/sh\n"), "the base's lines, then app");
            var config = first.RuntimeConfig;
            Assert.That(config.GetProperty("User").GetString(), Is.EqualTo("1654"));
            Assert.That(first.Config.GetProperty("created").GetString(), Is.EqualTo(FirstCommitTime), "the commit's time, not the clock's");
            var labels = config.GetProperty("Labels");
            Assert.That(labels.GetProperty("org.opencontainers.image.version").GetString(), Is.EqualTo("1.2.3"));
            Assert.That(labels.GetProperty("org.opencontainers.image.created").GetString(), Is.EqualTo(FirstCommitTime));
            Assert.That(labels.GetProperty("org.opencontainers.image.title").GetString(), Is.EqualTo("Zero"), "a LayerBuildLabel replaces a pre-defined one");
            Assert.That(labels.TryGetProperty("org.opencontainers.image.description", out _), Is.False, "an empty LayerBuildLabel takes one out");
            Assert.That(labels.GetProperty("org.opencontainers.image.revision").GetString(), Is.EqualTo(await Git.HeadAsync(app.Folder)));
            Assert.That(labels.GetProperty("org.opencontainers.image.source").GetString(), Is.EqualTo("https://example.invalid/zeroapp.git"));
            Assert.That(Strings(config.GetProperty("Entrypoint")), Is.EqualTo(new[] { "/app/ZeroApp" }));
            Assert.That(config.GetProperty("WorkingDir").GetString(), Is.EqualTo("/app"));
            Assert.That(Strings(config.GetProperty("Env")), Does.Contain("GREETING_STYLE=plain"));
            Assert.That(config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "8080/tcp", "5353/udp" }));
            Assert.That(config.GetProperty("Labels").GetProperty("org.example.team").GetString(), Is.EqualTo("blue"));
        }

        Assert.That(await LoadAndRunAsync(app.DefaultArchive, "zeroapp:1.2.3"), Is.EqualTo($"{{\"greeting\":\"{Greeting}\",\"style\":\"plain\"}}\n"));
    }

    [Test]
    [Order(2)]
    public async Task A_code_only_change_gives_a_new_app_layer_and_leaves_every_layer_below_it_as_it_was()
    {
        Assert.That(first, Is.Not.Null, "the first publish did not run");
        app.WriteProgram(Program("changed code"));
        await Git.CommitAsync(app.Folder, SecondCommitTime);

        var publish = await app.PublishAsync();

        Assert.That(publish.ExitCode, Is.Zero, publish.Describe);
        var second = await ImageArchiveFiles.UnpackAsync(app.DefaultArchive, Path.Combine(TestRun.Root, "zero-config", "unpacked-2"));
        Assert.That(second.DiffIds, Has.Count.EqualTo(first!.DiffIds.Count));
        Assert.That(second.DiffIds.Take(5), Is.EqualTo(first.DiffIds.Take(5)), "the base, user, runtime and package layers are unchanged");
        Assert.That(second.DiffIds[^1], Is.Not.EqualTo(first.DiffIds[^1]), "the app layer is new");
        Assert.That(second.Config.GetProperty("created").GetString(), Is.EqualTo(SecondCommitTime), "a new commit dates the image, not its layers");
        Assert.That(await LoadAndRunAsync(app.DefaultArchive, "zeroapp:1.2.3"), Does.Contain("changed code"));
    }

    [Test]
    [Order(3)]
    public async Task Single_layering_puts_the_whole_publish_folder_in_one_layer()
    {
        var archive = Path.Combine(TestRun.Root, "zero-config", "single.tar");

        var publish = await app.PublishAsync("-p:LayerBuildLayering=single", "-p:LayerBuildFormat=oci", $"-p:LayerBuildOutput={archive}");

        Assert.That(publish.ExitCode, Is.Zero, publish.Describe);
        var image = await ImageArchiveFiles.UnpackAsync(archive, Path.Combine(TestRun.Root, "zero-config", "unpacked-single"));
        Assert.That(image.LayerHistory.Skip(2), Is.EqualTo(new[] { "layerbuild step: app-user", "layerbuild step: app" }));
        Assert.That(await ImageArchiveFiles.FilesOfAsync(image.LayerPaths[^1]),
            Does.Contain("app/libcoreclr.so").And.Contain("app/Newtonsoft.Json.dll").And.Contain("app/ZeroApp.dll"));

        // The OCI manifest carries the pre-defined keys as annotations too; custom labels stay labels.
        var annotations = image.ManifestAnnotations();
        Assert.That(annotations["org.opencontainers.image.version"], Is.EqualTo("1.2.3"));
        Assert.That(annotations["org.opencontainers.image.created"], Is.EqualTo(SecondCommitTime));
        Assert.That(annotations.ContainsKey("org.example.team"), Is.False);
    }

    [Test]
    [Order(4)]
    public async Task An_unknown_layering_fails_the_publish_with_its_code()
    {
        var publish = await app.PublishAsync("-p:LayerBuildLayering=fancy");

        Assert.That(publish.ExitCode, Is.Not.Zero, publish.Describe);
        Assert.That(publish.StandardOutput, Does.Contain("error LB8001: LayerBuildLayering 'fancy' is not known"), publish.Describe);
    }

    [Test]
    [Order(5)]
    public async Task A_base_by_reference_is_pulled_from_the_registry_it_names_and_a_pinned_one_labels_its_digest()
    {
        RegistryServer.RequireTools();
        await using var registry = await RegistryServer.StartPlainAsync();
        var digest = await registry.CopyAsync($"docker-archive:{bases.RuntimeDeps}", "dotnet/runtime-deps:10.0");
        var byTag = $"{registry.Host}/dotnet/runtime-deps:10.0";
        var generatedPath = Path.Combine(app.Folder, "obj", "Release", "net10.0", "linux-x64", "layerbuild.generated.yml");

        var publish = await app.PublishAsync($"-p:{ZeroConfigApp.UseTestBase}=false", $"-p:LayerBuildBaseImage={byTag}");

        Assert.That(publish.ExitCode, Is.Zero, publish.Describe);
        Assert.That(File.ReadAllText(generatedPath), Does.Contain($"\"org.opencontainers.image.base.name\": \"{byTag}\""));
        Assert.That(registry.CountRequests("GET", "^/v2/dotnet/runtime-deps/manifests/10\\.0$"), Is.GreaterThanOrEqualTo(1), "the base came from the registry");
        // Never pulled before (a new registry): the pull started while the project compiled (D80), and the
        // image build after the publish waited for it, so no blob was fetched twice.
        Assert.That(publish.StandardOutput, Does.Contain($"LayerBuild: pulling the base {byTag} while the project builds"), publish.Describe);
        var blobGets = registry.LogLines.Where(l => l.Contains("\"GET /v2/dotnet/runtime-deps/blobs/", StringComparison.Ordinal)).ToList();
        Assert.That(blobGets, Is.Not.Empty, "the blobs came from the registry");
        Assert.That(blobGets.Select(BlobPath).Distinct().Count(), Is.EqualTo(blobGets.Count), string.Join('\n', blobGets));
        Assert.That(await LoadAndRunAsync(app.DefaultArchive, "zeroapp:1.2.3"), Does.Contain("\"greeting\""));

        // Pinned by digest, the base also names its digest in the labels.
        var pinned = $"{registry.Host}/dotnet/runtime-deps@{digest}";
        var again = await app.PublishAsync($"-p:{ZeroConfigApp.UseTestBase}=false", $"-p:LayerBuildBaseImage={pinned}");

        Assert.That(again.ExitCode, Is.Zero, again.Describe);
        Assert.That(again.StandardOutput, Does.Not.Contain("LayerBuild: pulling the base"), "the cache holds that manifest: nothing to pull ahead");
        var generated = File.ReadAllText(generatedPath);
        Assert.That(generated, Does.Contain($"\"org.opencontainers.image.base.name\": \"{pinned}\""));
        Assert.That(generated, Does.Contain($"\"org.opencontainers.image.base.digest\": \"{digest}\""));
    }

    [Test]
    [Order(6)]
    public async Task The_default_base_is_the_one_the_SDK_chooses()
    {
        var root = Directory.CreateDirectory(Path.Combine(TestRun.Root, "zero-config-web")).FullName;
        web = ZeroConfigApp.Create(root, feed, "WebApp", "Microsoft.NET.Sdk.Web", bases.Runtime, "",
            "<LayerBuildPort Include=\"80\" Type=\"sctp\" Condition=\"'$(BadPort)' == 'true'\" />",
            "var app = WebApplication.Create(args);\napp.Run();\n");
        var off = $"-p:{ZeroConfigApp.UseTestBase}=false";

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await app.PropertyAfterPrepareAsync("LayerBuildBaseImage", off), Is.EqualTo("mcr.microsoft.com/dotnet/runtime-deps:10.0"));
            Assert.That(await app.PropertyAfterPrepareAsync("LayerBuildBaseImage", off, "-p:SelfContained=false"), Is.EqualTo("mcr.microsoft.com/dotnet/runtime:10.0"));
            Assert.That(await web.PropertyAfterPrepareAsync("LayerBuildBaseImage", off), Is.EqualTo("mcr.microsoft.com/dotnet/aspnet:10.0"));
            Assert.That(await web.PropertyAfterPrepareAsync("LayerBuildRepository"), Is.EqualTo("webapp"));
        }

        var badPort = await Dotnet.RunAsync(web.Folder, ["msbuild", "-t:_LayerBuildPrepare", "-p:BadPort=true", .. Dotnet.BuildArguments]);
        Assert.That(badPort.ExitCode, Is.Not.Zero, badPort.Describe);
        Assert.That(badPort.StandardOutput, Does.Contain("error LB8002: LayerBuildPort '80' has Type 'sctp'; use tcp or udp"), badPort.Describe);
    }

    [Test]
    [Order(7)]
    public async Task A_recipe_without_image_is_laid_over_the_property_made_image_of_a_framework_dependent_app()
    {
        var root = Directory.CreateDirectory(Path.Combine(TestRun.Root, "zero-config-fd")).FullName;
        fd = ZeroConfigApp.Create(root, feed, "FdApp", "Microsoft.NET.Sdk", bases.Runtime,
            "<SelfContained>false</SelfContained>\n    <UseAppHost>false</UseAppHost>",
            "<LayerBuildEnvironmentVariable Include=\"FROM_PROPERTIES\" Value=\"kept\" />",
            """
            Console.WriteLine($"{File.ReadAllText("extra.txt").Trim()} {Environment.GetEnvironmentVariable("FROM_PROPERTIES")} {Environment.GetEnvironmentVariable("FROM_RECIPE")} {Environment.Version.Major}");

            """);
        File.WriteAllText(fd.RecipePath, """
            # Laid over the image the properties make: adds a variable and a step, keeps the rest.
            tags: [overlay]
            config:
              env: { FROM_RECIPE: "yes" }
            steps:
              - name: extra
                files:
                  - { path: /app/extra.txt, content: "from the recipe" }

            """);

        var publish = await fd.PublishAsync();

        Assert.That(publish.ExitCode, Is.Zero, publish.Describe);
        Assert.That(ImageItem().Match(publish.StandardOutput).Groups["tags"].Value, Is.EqualTo("fdapp:overlay"), publish.Describe);
        var image = await ImageArchiveFiles.UnpackAsync(fd.DefaultArchive, Path.Combine(root, "unpacked"));
        using (Assert.EnterMultipleScope())
        {
            // No runtime layer (the base has the runtime) and no package layer (the app uses none).
            Assert.That(image.LayerHistory.Skip(2), Is.EqualTo(new[] { "layerbuild step: app-user", "layerbuild step: app", "layerbuild step: extra" }));
            Assert.That(Strings(image.RuntimeConfig.GetProperty("Entrypoint")), Is.EqualTo(new[] { "dotnet", "FdApp.dll" }));
        }

        Assert.That(await LoadAndRunAsync(fd.DefaultArchive, "fdapp:overlay"), Is.EqualTo("from the recipe kept yes 10\n"));
    }

    [Test]
    [Order(8)]
    public async Task The_guard_rails_stop_an_image_that_cannot_run_and_warn_about_what_is_likely_wrong()
    {
        Assert.That(fd, Is.Not.Null, "the framework-dependent app was not made");
        Assert.That(web, Is.Not.Null, "the web app was not made");

        // A framework-dependent app with globalization on a base with neither a runtime nor ICU: both errors, one run.
        var noRuntime = await fd!.PublishAsync($"-p:LayerBuildBaseImage={bases.RuntimeDeps}", "-p:InvariantGlobalization=false",
            $"-p:LayerBuildOutput={Path.Combine(TestRun.Root, "zero-config", "no-runtime.tar")}");
        // A user with no passwd line and an arg no recipe uses: warnings, and the image is built.
        var warned = await app.PublishAsync("-p:LayerBuildUser=1000", "-p:UnusedArg=true",
            $"-p:LayerBuildOutput={Path.Combine(TestRun.Root, "zero-config", "warned.tar")}");
        var portable = await Dotnet.RunAsync(web!.Folder, ["msbuild", "-t:_LayerBuildPrepare", "-p:RuntimeIdentifier=", .. Dotnet.BuildArguments]);
        var windows = await Dotnet.RunAsync(web.Folder, ["msbuild", "-t:_LayerBuildPrepare", "-p:RuntimeIdentifier=win-x64", .. Dotnet.BuildArguments]);
        var library = await Dotnet.RunAsync(Path.GetDirectoryName(bases.Runtime)!, ["publish", "bases.csproj", .. Dotnet.BuildArguments]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(noRuntime.ExitCode, Is.Not.Zero, noRuntime.Describe);
            Assert.That(noRuntime.StandardOutput, Does.Contain("error LB8003: the app is framework-dependent but the image has no .NET 10 runtime"), noRuntime.Describe);
            Assert.That(noRuntime.StandardOutput, Does.Contain("error LB8005: the app uses globalization"), noRuntime.Describe);
            Assert.That(File.Exists(Path.Combine(TestRun.Root, "zero-config", "no-runtime.tar")), Is.False);

            Assert.That(warned.ExitCode, Is.Zero, warned.Describe);
            Assert.That(warned.StandardOutput, Does.Contain("warning LB8006: the image runs as uid 1000, which has no line in the image's /etc/passwd"), warned.Describe);
            Assert.That(warned.StandardOutput, Does.Contain("warning LB1067: LayerBuildArg: arg 'NEVER_USED' is given but the recipe never uses ${NEVER_USED}"), warned.Describe);
            Assert.That(warned.StandardOutput, Does.Not.Contain("arg 'PublishDir'"), "the automatic args need no use");

            Assert.That(portable.ExitCode, Is.Zero, portable.Describe);
            Assert.That(portable.StandardOutput, Does.Contain("warning LB8004: no RuntimeIdentifier"), portable.Describe);
            Assert.That(windows.ExitCode, Is.Not.Zero, windows.Describe);
            Assert.That(windows.StandardOutput, Does.Contain("error LB8004: RuntimeIdentifier 'win-x64' is not a Linux one"), windows.Describe);

            Assert.That(library.ExitCode, Is.Zero, library.Describe);
            Assert.That(library.StandardOutput, Does.Contain("warning LB8007: LayerBuilder.MSBuild is referenced but no image is built"), library.Describe);
        }
    }

    [Test]
    [Order(9)]
    public async Task The_starter_recipe_init_writes_for_the_project_builds_and_runs_as_written()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await new LayerBuilder.Tool.BuildCommand(stdout, stderr).InvokeAsync(["init", app.Folder]);
        Assert.That(exitCode, Is.Zero, stderr.ToString());

        var publish = await app.PublishAsync();

        Assert.That(publish.ExitCode, Is.Zero, publish.Describe);
        var image = await ImageArchiveFiles.UnpackAsync(app.DefaultArchive, Path.Combine(TestRun.Root, "zero-config", "unpacked-init"));
        Assert.That(image.RuntimeConfig.GetProperty("Labels").GetProperty("org.opencontainers.image.description").GetString(),
            Is.EqualTo("ZeroApp, built with LayerBuilder"), "the starter's label, laid over the property-made image");
        Assert.That(await LoadAndRunAsync(app.DefaultArchive, "zeroapp:latest"), Does.Contain("changed code"));
    }

    private static string Program(string greeting) => $$"""
        var message = new { greeting = "{{greeting}}", style = Environment.GetEnvironmentVariable("GREETING_STYLE") };
        Console.WriteLine(Newtonsoft.Json.JsonConvert.SerializeObject(message));

        """;

    /// <summary>The path of an access log line's request (<c>"GET /v2/... HTTP/1.1"</c>).</summary>
    private static string BlobPath(string accessLine) => accessLine.Split('"')[1].Split(' ')[1];

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private async Task<string> LoadAndRunAsync(string archive, string image)
    {
        await docker.LoadAsync(archive);
        loadedImages.Add(image);
        return await docker.RunImageAsync(image);
    }

    [GeneratedRegex(@"IMAGE (?<archive>\S+) tags=(?<tags>\S*)")]
    private static partial Regex ImageItem();
}
