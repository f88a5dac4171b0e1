using LayerBuilder.Build;
using LayerBuilder.Diagnostics;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.RoundTrip;

/// <summary>
/// A config user given by name is looked up in the image's /etc/passwd. In a one-layer image that file
/// sits in the layer being written straight into the archive, so the lookup reads it from there.
/// </summary>
public sealed class OneLayerUserNameTests
{
    [Test]
    public async Task A_user_name_is_found_in_the_passwd_of_a_layer_written_in_place()
    {
        using var temp = new TempDirectory();
        var recipe = WriteRecipe(temp, "app");

        var result = await ImageBuilder.BuildAsync(new BuildRequest(recipe, temp.Combine("out/image.tar")));

        var archive = ImageArchive.Read(temp.Combine("out/image.tar"));
        Assert.That(archive.ConfigDocument.GetProperty("config").GetProperty("User").GetString(), Is.EqualTo("app"));
        Assert.That(result.Layers, Has.Count.EqualTo(1));
        Assert.That(RawTar.Headers(await File.ReadAllBytesAsync(temp.Combine("out/image.tar"))).Count(h => h.TypeFlag == 'x'), Is.EqualTo(1), "the layer was laid out in place");
    }

    [Test]
    public void An_unknown_user_name_fails_and_leaves_nothing_behind()
    {
        using var temp = new TempDirectory();
        var recipe = WriteRecipe(temp, "nobody-here");

        var failure = Assert.ThrowsAsync<LayerBuildException>(async () => await ImageBuilder.BuildAsync(new BuildRequest(recipe, temp.Combine("out/image.tar"))));

        Assert.That(failure!.Diagnostics.Select(d => d.Code), Does.Contain(DiagnosticCodes.UnknownUserOrGroup));
        Assert.That(Directory.Exists(temp.Combine("out")) ? Directory.GetFileSystemEntries(temp.Combine("out")) : [], Is.Empty);
    }

    private static BuildRecipe WriteRecipe(TempDirectory temp, string user)
    {
        temp.WriteFile("rootfs/etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        temp.WriteFile("rootfs/etc/group", "root:x:0:\napp:x:1000:\n");
        temp.WriteFile("rootfs/bin/tool", "tool");
        temp.WriteFile("layerbuild.yml", $$"""
            image: users/one-layer
            created: "2024-01-01T00:00:00Z"
            base: { rootfs: rootfs }
            config: { user: {{user}} }
            """);
        return RecipeParser.ParseFile(temp.Combine("layerbuild.yml"));
    }
}
