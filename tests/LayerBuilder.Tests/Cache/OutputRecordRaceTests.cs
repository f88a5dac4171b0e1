using LayerBuilder.Build;
using LayerBuilder.Recipe;

namespace LayerBuilder.Tests.Cache;

/// <summary>
/// Two builds racing on one <c>-o</c>: the record of what was written describes the file this build
/// renamed into place, never the one a rival put there after it, so a later build never calls another
/// image's bytes "Unchanged".
/// </summary>
[TestFixture]
public sealed class OutputRecordRaceTests
{
    [Test]
    public async Task A_file_replaced_right_after_the_rename_is_not_recorded_as_this_build()
    {
        using var fixture = new CacheFixture();
        var output = fixture.Output("image.tar");
        var recipe = RecipeParser.ParseFile(Path.Combine(fixture.Root, "layerbuild.yml"));
        var rival = "the archive of another image\n"u8.ToArray();

        await ImageBuilder.BuildAsync(new BuildRequest(recipe, output)
        {
            Cache = fixture.Cache,
            AfterOutputRenamed = path =>
            {
                // Another build's rename lands between this build's rename and its record.
                File.WriteAllBytes(path + ".rival", rival);
                File.Move(path + ".rival", path, overwrite: true);
            },
        });

        var again = await ImageBuilder.BuildAsync(new BuildRequest(recipe, output) { Cache = fixture.Cache });

        Assert.That(again.Unchanged, Is.False, "the rival's bytes were taken for this image");
        Assert.That(File.ReadAllBytes(output), Is.Not.EqualTo(rival));
    }

    [Test]
    public async Task The_file_this_build_renamed_is_recorded_and_an_unchanged_rebuild_leaves_it()
    {
        using var fixture = new CacheFixture();
        var output = fixture.Output("image.tar");
        var recipe = RecipeParser.ParseFile(Path.Combine(fixture.Root, "layerbuild.yml"));
        await ImageBuilder.BuildAsync(new BuildRequest(recipe, output) { Cache = fixture.Cache });

        var again = await ImageBuilder.BuildAsync(new BuildRequest(recipe, output) { Cache = fixture.Cache });

        Assert.That(again.Unchanged, Is.True);
    }
}
