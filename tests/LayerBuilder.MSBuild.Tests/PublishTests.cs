using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using LayerBuilder.MSBuild.Tests.Support;

namespace LayerBuilder.MSBuild.Tests;

/// <summary>
/// The shipped props and targets in a real <c>dotnet publish</c> of a fresh app, and the image in a real
/// docker. The tests share one app and run in order, each starting from what the previous one left,
/// because that is the incremental story under test (and each publish of a self-contained app is slow).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class PublishTests
{
    private const string SkippedMessage = "Skipping target \"LayerBuild\" because all output files are up-to-date with respect to the input files.";

    private Docker docker = null!;
    private SampleApp app = null!;
    private readonly HashSet<string> loadedImages = new(StringComparer.Ordinal);

    [OneTimeSetUp]
    public async Task CreateApp()
    {
        docker = await Engines.DockerAsync();
        var rootfs = await TestRun.RootfsAsync();
        var feed = await TestRun.FeedAsync();
        app = SampleApp.Create(TestRun.Root, feed, rootfs);
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
    public async Task Publish_writes_an_image_that_runs_with_the_project_version_in_its_tag_and_env()
    {
        var publish = await app.PublishAsync();

        Assert.That(publish.ExitCode, Is.Zero, publish.Describe);
        var built = BuiltMessage().Match(publish.StandardOutput);
        Assert.That(built.Success, Is.True, "no success message with the image id and archive:\n" + publish.Describe());
        Assert.That(built.Groups["archive"].Value, Is.EqualTo(app.DefaultArchive));
        Assert.That(built.Groups["tags"].Value, Is.EqualTo($"{SampleApp.ImageName}:{SampleApp.Version}"));
        var item = ImageItem().Match(publish.StandardOutput);
        Assert.That(item.Success, Is.True, "a later target saw no LayerBuildImage item:\n" + publish.Describe());
        Assert.That(item.Groups["id"].Value, Is.EqualTo(built.Groups["id"].Value));
        Assert.That(item.Groups["tags"].Value, Is.EqualTo($"{SampleApp.ImageName}:{SampleApp.Version}"));

        var output = await LoadAndRunAsync(app.DefaultArchive, $"{SampleApp.ImageName}:{SampleApp.Version}");
        Assert.That(output, Is.EqualTo($"Hello from sample {SampleApp.Version}.0, APP_VERSION={SampleApp.Version}\n"));
    }

    [Test]
    [Order(2)]
    public async Task A_second_publish_without_changes_skips_the_target_and_leaves_the_archive_untouched()
    {
        var before = Snapshot(app.DefaultArchive);

        var publish = await app.PublishAsync();

        Assert.That(publish.ExitCode, Is.Zero, publish.Describe);
        Assert.That(publish.StandardOutput, Does.Contain(SkippedMessage), publish.Describe);
        Assert.That(BuiltMessage().IsMatch(publish.StandardOutput), Is.False, publish.Describe);
        Assert.That(Snapshot(app.DefaultArchive), Is.EqualTo(before), "the archive was rewritten");

        // Later targets still get the image, with the metadata of the build that made it.
        var item = ImageItem().Match(publish.StandardOutput);
        Assert.That(item.Success, Is.True, "a skipped target handed on no LayerBuildImage item:\n" + publish.Describe());
        Assert.That(item.Groups["archive"].Value, Is.EqualTo(app.DefaultArchive));
        Assert.That(item.Groups["id"].Value, Does.StartWith("sha256:"));
    }

    [Test]
    [Order(3)]
    public async Task Changing_a_source_file_rebuilds_the_image()
    {
        var before = Snapshot(app.DefaultArchive);
        app.WriteProgram("Changed greeting");

        var publish = await app.PublishAsync();

        Assert.That(publish.ExitCode, Is.Zero, publish.Describe);
        Assert.That(publish.StandardOutput, Does.Not.Contain(SkippedMessage), publish.Describe);
        Assert.That(BuiltMessage().IsMatch(publish.StandardOutput), Is.True, publish.Describe);
        Assert.That(Snapshot(app.DefaultArchive), Is.Not.EqualTo(before));

        var output = await LoadAndRunAsync(app.DefaultArchive, $"{SampleApp.ImageName}:{SampleApp.Version}");
        Assert.That(output, Is.EqualTo($"Changed greeting from sample {SampleApp.Version}.0, APP_VERSION={SampleApp.Version}\n"));
    }

    [Test]
    [Order(4)]
    public async Task Format_tags_and_output_come_from_properties()
    {
        var archive = Path.Combine(TestRun.Root, "images", "sample-oci.tar");

        var publish = await app.PublishAsync("-p:LayerBuildFormat=oci", "-p:LayerBuildTags=oci-test", $"-p:LayerBuildOutput={archive}");

        Assert.That(publish.ExitCode, Is.Zero, publish.Describe);
        var item = ImageItem().Match(publish.StandardOutput);
        Assert.That(item.Success, Is.True, publish.Describe);
        Assert.That(item.Groups["archive"].Value, Is.EqualTo(archive));
        Assert.That(item.Groups["tags"].Value, Is.EqualTo($"{SampleApp.ImageName}:oci-test"));
        Assert.That(item.Groups["manifest"].Value, Does.Match("^sha256:[0-9a-f]{64}$"));
        Assert.That(item.Groups["format"].Value, Is.EqualTo("oci"));

        var output = await LoadAndRunAsync(archive, $"{SampleApp.ImageName}:oci-test");
        Assert.That(output, Does.StartWith("Changed greeting from sample"));
    }

    [Test]
    [Order(5)]
    public async Task A_broken_recipe_fails_the_publish_with_the_canonical_error_at_its_line_and_column()
    {
        File.WriteAllText(app.RecipePath, SampleApp.BrokenRecipe);
        try
        {
            var publish = await app.PublishAsync();

            Assert.That(publish.ExitCode, Is.Not.Zero, publish.Describe);
            var expected = $"{app.RecipePath}(15,5): error LB1003: unknown key 'cpy' in step 1; did you mean 'copy'?";
            Assert.That(publish.StandardOutput.Split('\n').Select(l => l.Trim()), Has.Some.StartsWith(expected), publish.Describe);
        }
        finally
        {
            File.WriteAllText(app.RecipePath, SampleApp.Recipe);
        }
    }

    [Test]
    [Order(6)]
    public async Task Cancelling_the_publish_stops_the_image_build_and_leaves_nothing_behind()
    {
        var folder = Path.Combine(TestRun.Root, "cancelled");
        var archive = Path.Combine(folder, "sample.tar");

        // A recipe whose first step copies a 16 GiB file (sparse: it takes no disk, and reads as zeros). The
        // build cannot finish in the milliseconds between its staging folder appearing and the signal, so
        // the test has one outcome, not a race: a build that finishes anyway is a failure. (Two layers, so
        // they are staged in the folder the test waits for.)
        var slow = Directory.CreateDirectory(Path.Combine(TestRun.Root, "slow-recipe")).FullName;
        using (var big = File.Create(Path.Combine(slow, "big.bin")))
        {
            big.SetLength(16L << 30);
        }

        var recipe = Path.Combine(slow, "layerbuild.yml");
        File.WriteAllText(recipe, "image: layerbuilder-msbuild-test/slow\ncreated: \"2024-01-01T00:00:00Z\"\nsteps:\n" +
            "  - copy: [{ src: big.bin, dest: /big.bin }]\n  - files: [{ path: /second-layer.txt, content: two }]\n");
        var start = Dotnet.InterruptibleStartInfo(app.Folder, SampleApp.PublishArguments($"-p:LayerBuildOutput={archive}", $"-p:LayerBuildRecipe={recipe}"));

        // The core stages layers in a folder beside the archive: once it exists, the image build is under way.
        var publish = await ProcessRunner.RunAsync(start, TimeSpan.FromMinutes(10), async process =>
        {
            var clock = Stopwatch.StartNew();
            while (!process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(5) &&
                   !(Directory.Exists(folder) && Directory.EnumerateDirectories(folder, ".layerbuild-*").Any()))
            {
                await Task.Delay(20);
            }

            Assert.That(process.HasExited, Is.False, "the publish ended before its image build began");
            await ProcessRunner.RunCheckedAsync("kill", ["-s", "INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        });

        Assert.That(publish.ExitCode, Is.Not.Zero, "the image build finished before the cancellation reached it\n" + publish.Describe());
        Assert.That(publish.StandardOutput, Does.Contain("error LB9002: image build cancelled"), publish.Describe);
        Assert.That(File.Exists(archive), Is.False, "a cancelled build left an archive");
        Assert.That(Directory.Exists(folder) ? Directory.GetFileSystemEntries(folder) : [], Is.Empty, "a cancelled build left files behind");
    }

    private async Task<string> LoadAndRunAsync(string archive, string image)
    {
        var loaded = await docker.LoadAsync(archive);
        loadedImages.Add(image);
        Assert.That(loaded, Does.Contain($"Loaded image: {image}"));
        var output = await docker.RunImageAsync(image);
        TestContext.Out.WriteLine($"docker run --rm --network none {image}: {output}");
        return output;
    }

    /// <summary>What "untouched" means: same modification time, same bytes.</summary>
    private static (DateTime Modified, string Sha256) Snapshot(string path)
    {
        using var stream = File.OpenRead(path);
        return (File.GetLastWriteTimeUtc(path), Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    [Test]
    [Order(7)]
    public async Task Push_and_load_properties_send_the_image_and_the_item_carries_the_digest_the_registry_serves()
    {
        await using var registry = await RegistryServer.StartPlainAsync();
        var name = $"{registry.Host}/msbuild/sample";
        var reference = $"{name}:{SampleApp.Version}";
        await File.WriteAllTextAsync(Path.Combine(app.Folder, "push.yml"),
            (await File.ReadAllTextAsync(app.RecipePath)).Replace($"image: {SampleApp.ImageName}", $"image: {name}", StringComparison.Ordinal));
        var start = Dotnet.StartInfo(app.Folder, SampleApp.PublishArguments("-p:LayerBuildRecipe=push.yml", "-p:LayerBuildPush=true", "-p:LayerBuildLoad=true"));
        start.Environment["DOCKER_HOST"] = docker.Host;
        loadedImages.Add(reference);

        var publish = await ProcessRunner.RunAsync(start, TimeSpan.FromMinutes(10));

        Assert.That(publish.ExitCode, Is.Zero, publish.Describe);
        var item = ImageItem().Match(publish.StandardOutput);
        Assert.That(item.Success, Is.True, publish.Describe());
        var pushed = PushedDigest().Match(publish.StandardOutput);
        Assert.That(pushed.Success, Is.True, "the item carries no PushedManifestDigest:\n" + publish.Describe());
        Assert.That(publish.StandardOutput, Does.Contain($"LayerBuild: pushed {reference}@{pushed.Groups["digest"].Value}"), publish.Describe);
        Assert.That(publish.StandardOutput, Does.Contain($"LayerBuild: Loaded image: {reference}"), publish.Describe);

        var inspect = await ProcessRunner.RunCheckedAsync("skopeo", ["inspect", "--tls-verify=false", $"docker://{reference}"]);
        Assert.That(inspect.StandardOutput, Does.Contain($"\"Digest\": \"{pushed.Groups["digest"].Value}\""), "the registry serves the digest the item carries");
        var output = await docker.RunImageAsync(reference);
        Assert.That(output, Is.EqualTo($"Changed greeting from sample {SampleApp.Version}.0, APP_VERSION={SampleApp.Version}\n"), "the loaded image runs (the program as test 3 left it)");
    }

    [GeneratedRegex(@"IMAGE \S+ id=\S* tags=\S* manifest=\S* format=\S* pushed=(?<digest>sha256:[0-9a-f]{64})")]
    private static partial Regex PushedDigest();

    [GeneratedRegex(@"LayerBuild: image (?<id>sha256:[0-9a-f]{64}) \((?<tags>[^)]*)\) -> (?<archive>\S+)")]
    private static partial Regex BuiltMessage();

    [GeneratedRegex(@"IMAGE (?<archive>\S+) id=(?<id>\S*) tags=(?<tags>\S*) manifest=(?<manifest>\S*) format=(?<format>\S*)")]
    private static partial Regex ImageItem();
}
