using LayerBuilder.Build;
using LayerBuilder.Diagnostics;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.RoundTrip;

/// <summary>
/// A base's layers are read into the merged view only when something looks (docs/decisions.md D75): a
/// recipe that only re-labels its base copies its layers as they are, while a config user given by name,
/// with no step at all, is still looked up in the base's /etc/passwd, and a step still sees the base.
/// </summary>
public sealed class BaseReadOnDemandTests
{
    [Test]
    public async Task A_recipe_of_the_base_alone_copies_its_layer_byte_for_byte()
    {
        using var temp = new TempDirectory();
        var baseArchive = await BuildBaseAsync(temp);

        await ImageBuilder.BuildAsync(new BuildRequest(Derived(temp, baseArchive, user: null, step: false), temp.Combine("out/image.tar")));

        var built = ImageArchive.Read(temp.Combine("out/image.tar"));
        var original = ImageArchive.Read(baseArchive);
        Assert.That(built.Image.Layers, Has.Count.EqualTo(1));
        Assert.That(built.Bytes(built.LayerPaths[0]), Is.EqualTo(original.Bytes(original.LayerPaths[0])));
    }

    [Test]
    public async Task A_user_name_with_no_step_is_found_in_the_passwd_of_the_base()
    {
        using var temp = new TempDirectory();
        var baseArchive = await BuildBaseAsync(temp);

        await ImageBuilder.BuildAsync(new BuildRequest(Derived(temp, baseArchive, user: "app", step: false), temp.Combine("out/image.tar")));

        var archive = ImageArchive.Read(temp.Combine("out/image.tar"));
        Assert.That(archive.ConfigDocument.GetProperty("config").GetProperty("User").GetString(), Is.EqualTo("app"));
    }

    [Test]
    public async Task A_user_name_the_base_lacks_with_no_step_fails_with_its_code()
    {
        using var temp = new TempDirectory();
        var baseArchive = await BuildBaseAsync(temp);

        var failure = Assert.ThrowsAsync<LayerBuildException>(async () =>
            await ImageBuilder.BuildAsync(new BuildRequest(Derived(temp, baseArchive, user: "ghost", step: false), temp.Combine("out/image.tar"))));

        Assert.That(failure!.Diagnostics.Select(d => d.Code), Does.Contain(DiagnosticCodes.UnknownUserOrGroup));
    }

    [Test]
    public async Task A_step_that_removes_a_base_file_sees_the_base()
    {
        using var temp = new TempDirectory();
        var baseArchive = await BuildBaseAsync(temp);

        await ImageBuilder.BuildAsync(new BuildRequest(Derived(temp, baseArchive, user: null, step: true), temp.Combine("out/image.tar")));

        var archive = ImageArchive.Read(temp.Combine("out/image.tar"));
        Assert.That(archive.Layer(1).Select(m => m.Name), Does.Contain("bin/.wh.tool"), "a whiteout is written only for a path a lower layer has");
    }

    private static async Task<string> BuildBaseAsync(TempDirectory temp)
    {
        temp.WriteFile("rootfs/etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        temp.WriteFile("rootfs/etc/group", "root:x:0:\napp:x:1000:\n");
        temp.WriteFile("rootfs/bin/tool", "tool");
        temp.WriteFile("base.yml", """
            image: users/base
            created: "2024-01-01T00:00:00Z"
            base: { rootfs: rootfs }
            """);
        var path = temp.Combine("base.tar");
        await ImageBuilder.BuildAsync(new BuildRequest(RecipeParser.ParseFile(temp.Combine("base.yml")), path));
        return path;
    }

    private static BuildRecipe Derived(TempDirectory temp, string baseArchive, string? user, bool step)
    {
        temp.WriteFile("layerbuild.yml", $$"""
            image: users/derived
            created: "2024-01-01T00:00:00Z"
            base: { image: {{baseArchive}} }
            {{(user is null ? "" : $"config: {{ user: {user} }}")}}
            {{(step ? "steps:\n  - name: drop\n    remove: [/bin/tool]" : "")}}
            """);
        return RecipeParser.ParseFile(temp.Combine("layerbuild.yml"));
    }
}
