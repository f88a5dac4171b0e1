using System.Formats.Tar;
using System.Text.Json;
using System.Text.Json.Nodes;
using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Image;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Commands;

/// <summary>
/// inspect, diff and verify of an archive whose image is an image index (docs/commands.md, "Choosing an
/// image"; docs/decisions.md D73): inspect lists the platforms, <c>--platform</c> picks one, LB1057 lists
/// choices a user can type, and verify reports a platform manifest the index names but the layout lacks.
/// </summary>
[Category(NativeToolRerun.Category)]
public sealed class ImageIndexCommandsTests
{
    private const string Recipe = """
        image: example/multi
        tags: ["1.0"]
        platforms: [linux/amd64, linux/arm64]
        steps:
          - name: app
            files: [{ path: /platform, content: "${TARGETPLATFORM}" }]
        """;

    private const string SingleRecipe = """
        image: example/single
        tags: ["2.0"]
        platforms: [linux/arm64]
        steps:
          - files: [{ path: /single, content: "one platform" }]
        """;

    private TempDirectory temp = null!;
    private BuildResult multi = null!;
    private BuildResult single = null!;

    private string Archive => temp.Combine("multi.tar");

    [OneTimeSetUp]
    public async Task BuildArchives()
    {
        temp = new TempDirectory();
        temp.WriteFile("layerbuild.yml", Recipe);
        (multi, var bytes) = await BuildAsync(Recipe);
        temp.WriteFile("multi.tar", bytes);
        Unpack(bytes, "layout");
        (single, var singleBytes) = await BuildAsync(SingleRecipe);
        Unpack(singleBytes, "single");
    }

    [OneTimeTearDown]
    public void Remove() => temp.Dispose();

    [Test]
    public void Inspect_of_an_index_lists_its_platforms_as_text()
    {
        var run = LayerBuilderCli.Run(["inspect", Archive], temp.Path);

        Assert.That(run.ExitCode, Is.Zero, run.Transcript);
        Assert.That(run.StdOut, Does.Contain("Name:       example/multi:1.0")
            .And.Contain($"Index:      {multi.IndexDigest}")
            .And.Contain($"Platform:   linux/amd64  manifest {multi.Platforms[0].ManifestDigest}  image id {multi.Platforms[0].ImageId}")
            .And.Contain($"Platform:   linux/arm64  manifest {multi.Platforms[1].ManifestDigest}  image id {multi.Platforms[1].ImageId}"), run.Transcript);
        Assert.That(run.StdOut, Does.Not.Contain("Layer 1:"), "an index has no layers of its own");
    }

    [Test]
    public void Inspect_of_an_index_lists_its_platforms_as_json()
    {
        var run = LayerBuilderCli.Run(["inspect", Archive, "--json"], temp.Path);

        Assert.That(run.ExitCode, Is.Zero, run.Transcript);
        var json = JsonDocument.Parse(run.StdOut).RootElement;
        Assert.That(json.GetProperty("index").GetProperty("digest").GetString(), Is.EqualTo(multi.IndexDigest.ToString()));
        Assert.That(json.GetProperty("index").GetProperty("mediaType").GetString(), Is.EqualTo(MediaTypes.ImageIndex));
        Assert.That(json.GetProperty("names").EnumerateArray().Select(n => n.GetString()), Does.Contain("example/multi:1.0"));
        var platforms = json.GetProperty("platforms").EnumerateArray().ToList();
        Assert.That(platforms.Select(p => p.GetProperty("platform").GetString()), Is.EqualTo(new[] { "linux/amd64", "linux/arm64" }));
        Assert.That(platforms.Select(p => p.GetProperty("id").GetString()), Is.EqualTo(multi.Platforms.Select(p => p.ImageId.ToString())));
        Assert.That(platforms.Select(p => p.GetProperty("manifest").GetProperty("digest").GetString()), Is.EqualTo(multi.Platforms.Select(p => p.ManifestDigest.ToString())));
        Assert.That(json.TryGetProperty("layers", out _), Is.False);
    }

    [Test]
    public void Platform_picks_one_image_to_inspect_and_a_platform_the_index_lacks_is_LB1057_naming_those_it_has()
    {
        var arm = LayerBuilderCli.Run(["inspect", Archive, "--platform", "linux/arm64", "--merged"], temp.Path);
        var missing = LayerBuilderCli.Run(["inspect", Archive, "--platform", "linux/s390x"], temp.Path);
        var malformed = LayerBuilderCli.Run(["inspect", Archive, "--platform", "arm64"], temp.Path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(arm.ExitCode, Is.Zero, arm.Transcript);
            Assert.That(arm.StdOut, Does.Contain($"Image id:   {multi.Platforms[1].ImageId}").And.Contain("Platform:   linux/arm64").And.Contain("Final filesystem:"), arm.Transcript);
            Assert.That(missing.ExitCode, Is.EqualTo(1), missing.Transcript);
            Assert.That(missing.StdErr.Trim(), Does.Contain("error LB1057: 'example/multi:1.0' in image archive").And.EndWith("has no platform linux/s390x; it has linux/amd64, linux/arm64"));
            Assert.That(malformed.ExitCode, Is.EqualTo(1), malformed.Transcript);
            Assert.That(malformed.StdErr, Does.Contain("error LB1057: 'arm64' is no platform; --platform takes os/arch[/variant]"));
        }
    }

    [Test]
    public void Several_references_are_LB1057_listing_names_and_platforms_a_user_can_type()
    {
        var layout = TwoReferenceLayout();
        var run = LayerBuilderCli.Run(["inspect", layout], temp.Path);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Transcript);
        var line = run.StdErr.Trim();
        Assert.That(line, Does.Not.Contain("\n"));
        Assert.That(line, Does.Contain("error LB1057: image layout").And.Contain("holds 2 images; choose one with --image: example/multi:1.0 (an image index; --platform linux/amd64 or linux/arm64), docker.io/example/single:2.0"), line);

        var chosenSingle = LayerBuilderCli.Run(["inspect", layout, "--image", "docker.io/example/single:2.0"], temp.Path);
        var chosenIndex = LayerBuilderCli.Run(["inspect", layout, "--image", "example/multi:1.0"], temp.Path);
        var chosenPlatform = LayerBuilderCli.Run(["inspect", layout, "--image", "example/multi:1.0", "--platform", "linux/amd64"], temp.Path);
        var byDigest = LayerBuilderCli.Run(["inspect", layout, "--image", multi.IndexDigest.ToString()!], temp.Path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(chosenSingle.StdOut, Does.Contain($"Image id:   {single.ImageId}"), chosenSingle.Transcript);
            Assert.That(chosenIndex.StdOut, Does.Contain($"Index:      {multi.IndexDigest}"), chosenIndex.Transcript);
            Assert.That(chosenPlatform.StdOut, Does.Contain($"Image id:   {multi.Platforms[0].ImageId}"), chosenPlatform.Transcript);
            Assert.That(byDigest.StdOut, Does.Contain($"Index:      {multi.IndexDigest}"), byDigest.Transcript);
        }
    }

    [Test]
    public void Diff_needs_a_platform_of_an_index_and_compares_the_platforms_it_is_given()
    {
        var unchosen = LayerBuilderCli.Run(["diff", Archive, Archive], temp.Path);
        var same = LayerBuilderCli.Run(["diff", Archive, Archive, "--platform", "linux/arm64"], temp.Path);
        var across = LayerBuilderCli.Run(["diff", Archive, Archive, "--platform-a", "linux/amd64", "--platform-b", "linux/arm64"], temp.Path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(unchosen.ExitCode, Is.EqualTo(2), unchosen.Transcript);
            Assert.That(unchosen.StdErr, Does.Contain("error LB1057: 'example/multi:1.0' in image archive").And.Contain("is an image index of 2 platforms; choose one with --platform-a: linux/amd64, linux/arm64"));
            Assert.That(same.ExitCode, Is.Zero, same.Transcript);
            Assert.That(across.ExitCode, Is.EqualTo(1), across.Transcript);
            Assert.That(across.StdOut, Does.Contain("config architecture: \"amd64\" -> \"arm64\"").And.Contain("M platform (content)"), across.Transcript);
        }
    }

    [Test]
    public void Verify_reports_a_platform_manifest_the_index_names_but_the_layout_lacks_unless_partial()
    {
        var layout = temp.Combine("partial");
        CopyFolder(temp.Combine("layout"), layout);
        var armManifest = "blobs/sha256/" + multi.Platforms[1].ManifestDigest.Hex;
        File.Delete(Path.Combine(layout, armManifest));

        var whole = LayerBuilderCli.Run(["verify", temp.Combine("layout")], temp.Path);
        var report = LayerBuilderCli.Run(["verify", layout], temp.Path);
        var accepted = LayerBuilderCli.Run(["verify", layout, "--partial"], temp.Path);
        var inspected = LayerBuilderCli.Run(["inspect", layout], temp.Path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(whole.ExitCode, Is.Zero, whole.Transcript);
            Assert.That(report.ExitCode, Is.EqualTo(1), report.Transcript);
            Assert.That(report.StdErr.Trim(), Does.EndWith(
                $"error LB4016: image layout '{layout}': the image index blobs/sha256/{multi.IndexDigest!.Value.Hex} names the linux/arm64 manifest {multi.Platforms[1].ManifestDigest}, but there is no {armManifest}"), report.Transcript);
            Assert.That(accepted.ExitCode, Is.Zero, accepted.Transcript);
            Assert.That(inspected.ExitCode, Is.Zero, inspected.Transcript);
            Assert.That(inspected.StdOut, Does.Contain($"Image id:   {multi.Platforms[0].ImageId}"), "the platform that is there still reads");
        }
    }

    /// <summary>The two-platform layout with a one-platform image of another name beside it: index.json
    /// names the index (tag 1.0) and the other image's manifest.</summary>
    private string TwoReferenceLayout()
    {
        var layout = temp.Combine("two");
        if (Directory.Exists(layout))
        {
            return layout;
        }

        CopyFolder(temp.Combine("layout"), layout);
        CopyFolder(temp.Combine("single", "blobs"), Path.Combine(layout, "blobs"));
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!;
        var other = JsonNode.Parse(File.ReadAllText(temp.Combine("single", "index.json")))!["manifests"]!.AsArray();
        foreach (var descriptor in other)
        {
            index["manifests"]!.AsArray().Add(descriptor!.DeepClone());
        }

        File.WriteAllText(Path.Combine(layout, "index.json"), index.ToJsonString());
        return layout;
    }

    private async Task<(BuildResult Result, byte[] Bytes)> BuildAsync(string recipeText)
    {
        var recipe = RecipeParser.Parse(recipeText, temp.Combine("layerbuild.yml"), temp.Path);
        using var memory = new MemoryStream();
        var result = await ImageBuilder.BuildAsync(BuildRequest.ToStream(recipe, memory) with { Format = ArchiveFormat.Oci, WorkDirectory = temp.Combine("work") });
        return (result, memory.ToArray());
    }

    private void Unpack(byte[] archive, string folder)
    {
        using var reader = new TarReader(new MemoryStream(archive));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                using var data = new MemoryStream();
                entry.DataStream?.CopyTo(data);
                temp.WriteFile(Path.Combine(folder, entry.Name), data.ToArray());
            }
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
