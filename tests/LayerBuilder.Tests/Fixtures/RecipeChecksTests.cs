using System.Security.Cryptography;
using LayerBuilder.Build;
using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Fixtures;

/// <summary>
/// Recipe <c>checks</c> and the expected image id (docs/recipe.md, "Checks"): evaluated on the merged
/// filesystem of every layer (a base image's too) and the config; a failure writes nothing, also to a
/// stream. Failures and their positions through the command line are rows of Diagnostics/BadInputTable.
/// </summary>
public sealed class RecipeChecksTests
{
    private const UnixFileMode Mode0644 = (UnixFileMode)0b110_100_100;

    [Test]
    public async Task Checks_see_the_merged_filesystem_of_a_base_image_and_the_steps()
    {
        using var temp = new TempDirectory();
        var basePath = temp.Combine("base.tar");
        await ImageBuilder.BuildAsync(BuildRequest.ToFile(
            RecipeBuilder.FromScratch("fixtures/base")
                .Step(s => s.File("/etc/os-release", "ID=fixture\n").File("/etc/motd", "hi\n").Dir("/usr/lib").Symlink("/lib", "usr/lib"))
                .Build(),
            basePath));

        var recipe = RecipeBuilder.FromImageArchive("fixtures/derived", basePath)
            .Step(s => s.Remove("/etc/motd").File("/lib/libx.so", "x"))
            .Check("/etc/os-release", type: ImageEntryType.File, mode: Mode0644, owner: "0:0", size: 11,
                sha256: Convert.ToHexStringLower(SHA256.HashData("ID=fixture\n"u8)), contains: "fixture")
            .Check("/etc/motd", exists: false)
            .Check("/lib", type: ImageEntryType.Symlink, target: "usr/lib")
            .Check("/lib/libx.so", type: ImageEntryType.File, size: 1)
            .Build();

        var result = await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, temp.Combine("derived.tar")));

        Assert.That(File.Exists(result.OutputPath), Is.True);
    }

    [Test]
    public async Task Contains_finds_text_across_read_buffers()
    {
        using var temp = new TempDirectory();
        var content = new byte[200_000];
        "needle"u8.CopyTo(content.AsSpan((1 << 16) - 3));
        var recipe = RecipeBuilder.FromScratch("fixtures/big")
            .Step(s => s.File("/data.bin", content))
            .Check("/data.bin", contains: "needle", sha256: Convert.ToHexStringLower(SHA256.HashData(content)))
            .Build();

        Assert.That(async () => await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, temp.Combine("big.tar"))), Throws.Nothing);
    }

    [Test]
    public async Task A_failed_check_sends_no_byte_to_a_stream()
    {
        var recipe = RecipeBuilder.FromScratch("fixtures/failing")
            .Step(s => s.File("/a", "a"))
            .Check("/b")
            .Build();
        using var stream = new MemoryStream();

        var failure = Assert.ThrowsAsync<LayerBuildException>(async () => await ImageBuilder.BuildAsync(BuildRequest.ToStream(recipe, stream)));

        Assert.That(failure!.Diagnostics.Select(d => d.Code), Is.EqualTo(new[] { DiagnosticCodes.CheckedPathMissing }));
        Assert.That(failure.Diagnostics[0].Position.ToString(), Does.Contain("check 1, /b"), "the check's place in code");
        Assert.That(stream.Length, Is.Zero);
    }

    [Test]
    public async Task An_expected_image_id_passes_the_same_build_and_stops_another()
    {
        using var temp = new TempDirectory();
        var recipe = RecipeBuilder.FromScratch("fixtures/pinned").Step(s => s.File("/a", "a")).Build();
        var first = await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, temp.Combine("first.tar")));

        var again = await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, temp.Combine("again.tar")) with { ExpectedImageId = first.ImageId });
        var changed = RecipeBuilder.FromScratch("fixtures/pinned").Step(s => s.File("/a", "b")).Build();
        var output = temp.Combine("changed.tar");
        var failure = Assert.ThrowsAsync<LayerBuildException>(async () =>
            await ImageBuilder.BuildAsync(BuildRequest.ToFile(changed, output) with { ExpectedImageId = first.ImageId }));

        Assert.That(again.ImageId, Is.EqualTo(first.ImageId));
        Assert.That(failure!.Diagnostics.Single().Code, Is.EqualTo(DiagnosticCodes.ImageIdDiffers));
        Assert.That(failure.Diagnostics.Single().Message, Does.Contain(first.ImageId.ToString()));
        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public void Checks_from_code_are_checked_as_yaml_checks_are()
    {
        var builder = RecipeBuilder.FromScratch("fixtures/bad-checks")
            .Step(s => s.Dir("/a"))
            .Check("/a", exists: false, mode: Mode0644)
            .Check("/a", sha256: "not-a-digest")
            .Check("relative")
            .CheckConfig();

        var failure = Assert.Throws<LayerBuildException>(() => builder.Build());

        Assert.That(failure!.Diagnostics.Select(d => d.Code.Id), Is.EqualTo(new[] { "LB1047", "LB1047", "LB1022", "LB1047" }));
    }

    [Test]
    public void A_digest_is_read_with_or_without_its_algorithm()
    {
        var hex = new string('a', 64);
        var recipe = RecipeBuilder.FromScratch("fixtures/digest").Step(s => s.Dir("/a"))
            .Check("/a", sha256: hex).Check("/a", sha256: "sha256:" + hex).Build();

        Assert.That(recipe.Checks.Cast<PathCheck>().Select(c => c.Sha256), Has.All.EqualTo(Digest.Parse("sha256:" + hex)));
    }
}
