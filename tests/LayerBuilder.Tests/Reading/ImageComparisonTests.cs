using LayerBuilder.Build;
using LayerBuilder.Reading;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;
using ImageArchive = LayerBuilder.Reading.ImageArchive;

namespace LayerBuilder.Tests.Reading;

/// <summary>
/// <c>ImageComparison</c> names each kind of difference (content, mode, owner, link, kind; added and
/// removed paths; config values) and nothing else: an image compared with itself, or with the same files
/// in other layers and another format, is equal.
/// </summary>
public sealed class ImageComparisonTests
{
    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;

    [Test]
    public async Task Each_change_is_named_by_path_and_aspect()
    {
        using var temp = new TempDirectory();
        var left = await BuildAsync(temp, "a.tar", RecipeBuilder.FromScratch("fixtures/diff").Created(DateTimeOffset.UnixEpoch)
            .Step(s => s
                .File("/same", "same")
                .File("/content", "one")
                .File("/mode", "m")
                .File("/owner", "o")
                .Symlink("/link", "same")
                .File("/kind", "a file")
                .File("/removed", "gone"))
            .Config(c => c.Env("MODE", "a").Entrypoint("/same")));
        var right = await BuildAsync(temp, "b.tar", RecipeBuilder.FromScratch("fixtures/diff").Created(DateTimeOffset.UnixEpoch.AddDays(1))
            .Step(s => s
                .File("/same", "same")
                .File("/content", "two")
                .File("/mode", "m", mode: Executable)
                .File("/owner", "o", owner: "1000:1000")
                .Symlink("/link", "content")
                .Dir("/kind")
                .File("/added", "new"))
            .Config(c => c.Env("MODE", "b").Entrypoint("/same")));

        var difference = await ImageComparison.CompareAsync(left, right);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(difference.AreEqual, Is.False);
            Assert.That(difference.PathChanges.Select(c => (c.Path, c.Change, c.Aspects)), Is.EqualTo(new[]
            {
                ("added", PathChangeKind.Added, PathAspects.None),
                ("content", PathChangeKind.Changed, PathAspects.Content),
                ("kind", PathChangeKind.Changed, PathAspects.Kind | PathAspects.Content | PathAspects.Mode),
                ("link", PathChangeKind.Changed, PathAspects.Link),
                ("mode", PathChangeKind.Changed, PathAspects.Mode),
                ("owner", PathChangeKind.Changed, PathAspects.Owner),
                ("removed", PathChangeKind.Removed, PathAspects.None),
            }));
            Assert.That(difference.ConfigChanges.Select(c => (c.Field, c.Left, c.Right)), Is.EqualTo(new[]
            {
                ("config.Env[1]", "\"MODE=a\"", "\"MODE=b\""),
                ("created", "\"1970-01-01T00:00:00Z\"", "\"1970-01-02T00:00:00Z\""),
                ("history[0].created", "\"1970-01-01T00:00:00Z\"", "\"1970-01-02T00:00:00Z\""),
                ("rootfs.diff_ids[0]", $"\"{left.Config.DiffIds[0]}\"", $"\"{right.Config.DiffIds[0]}\""),
            }));
        }
    }

    [Test]
    public async Task The_same_files_in_other_layers_and_another_format_are_equal_but_for_the_layering()
    {
        using var temp = new TempDirectory();
        var oneLayer = await BuildAsync(temp, "one.tar", RecipeBuilder.FromScratch("fixtures/diff")
            .Step("all", s => s.File("/a", "a").File("/b", "b")));
        var twoLayers = await BuildAsync(temp, "two.tar", RecipeBuilder.FromScratch("fixtures/diff")
            .Step("all", s => s.File("/a", "a"))
            .Step("b", s => s.File("/b", "b")), Archive.ArchiveFormat.Oci);

        var difference = await ImageComparison.CompareAsync(oneLayer, twoLayers);

        Assert.That(difference.PathChanges, Is.Empty);
        Assert.That(difference.ConfigChanges.Select(c => c.Field), Has.All.StartWith("rootfs.diff_ids").Or.StartWith("history["));
        Assert.That((await ImageComparison.CompareAsync(oneLayer, oneLayer)).AreEqual, Is.True);
    }

    [Test]
    public async Task Binary_xattrs_that_read_as_the_same_text_still_differ()
    {
        using var temp = new TempDirectory();
        var left = await BuildAsync(temp, "a.tar", RecipeBuilder.FromScratch("fixtures/diff")
            .Step(s => s.File("/cap", "x", xattrs: new Dictionary<string, byte[]> { ["security.capability"] = [0x01, 0xff, 0xfe] })));
        var right = await BuildAsync(temp, "b.tar", RecipeBuilder.FromScratch("fixtures/diff")
            .Step(s => s.File("/cap", "x", xattrs: new Dictionary<string, byte[]> { ["security.capability"] = [0x01, 0xfe, 0xff] })));

        var changes = (await ImageComparison.CompareAsync(left, right)).PathChanges;

        Assert.That(changes.Select(c => (c.Path, c.Aspects)), Is.EqualTo(new[] { ("cap", PathAspects.Xattrs) }));
    }

    private static async Task<ArchivedImage> BuildAsync(TempDirectory temp, string name, RecipeBuilder recipe, Archive.ArchiveFormat format = Archive.ArchiveFormat.Docker)
    {
        var path = temp.Combine(name);
        await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe.BaseDirectory(temp.Path).Build(), path) with { Format = format });
        return (await ImageArchive.OpenAsync(path)).Images.Single();
    }
}
