using LayerBuilder.Diagnostics;
using LayerBuilder.Recipe;

namespace LayerBuilder.Tests.Unit;

/// <summary>
/// A recipe file without <c>image:</c> laid over another recipe (the MSBuild route's property-made one,
/// docs/msbuild.md): keys the file sets win, config merges key by key, the file's steps follow; a file
/// with <c>image:</c> stands alone and the underlay is never read.
/// </summary>
public sealed class RecipeUnderlayTests
{
    private const string Underlay = """
        image: example/app
        tags: ["1.0", latest]
        platform: linux/arm64
        created: "2024-01-01T00:00:00Z"
        base: { rootfs: base.tar }
        config:
          entrypoint: ["/app/App"]
          workdir: /app
          env: { A: from-underlay, B: from-underlay }
          labels: { team: blue }
          ports: ["8080/tcp"]
        steps:
          - name: app
            files: [{ path: /app/App, content: app }]

        """;

    private static BuildRecipe Parse(string yaml, RecipeOptions? options = null)
    {
        options ??= new RecipeOptions();
        return RecipeParser.Parse(yaml, "layerbuild.yml", "/project",
            options with { Underlay = () => RecipeParser.Parse(Underlay, "obj/layerbuild.generated.yml", "/project", options) });
    }

    [Test]
    public void Keys_the_file_leaves_out_come_from_the_underlay_and_its_steps_come_after()
    {
        var recipe = Parse("""
            config:
              env: { B: from-file, C: from-file }
              ports: ["9090"]
            steps:
              - name: extra
                dirs: [{ path: /data }]

            """);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(recipe.Image.Value.Familiar, Is.EqualTo("example/app"));
            Assert.That(recipe.Tags, Is.EqualTo(new[] { "1.0", "latest" }));
            Assert.That(recipe.Platform.ToString(), Is.EqualTo("linux/arm64"));
            Assert.That(recipe.Created, Is.EqualTo(DateTimeOffset.Parse("2024-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(recipe.Base, Is.TypeOf<RootfsBase>());
            Assert.That(recipe.Config.Entrypoint, Is.EqualTo(new[] { "/app/App" }));
            Assert.That(recipe.Config.WorkingDir, Is.EqualTo("/app"));
            Assert.That(recipe.Config.Env, Is.EqualTo(new Dictionary<string, string> { ["A"] = "from-underlay", ["B"] = "from-file", ["C"] = "from-file" }));
            Assert.That(recipe.Config.Labels["team"], Is.EqualTo("blue"));
            Assert.That(recipe.Config.ExposedPorts, Is.EqualTo(new[] { "8080/tcp", "9090/tcp" }));
            Assert.That(recipe.Steps.Select(s => (s.Index, s.Name)), Is.EqualTo(new[] { (0, "app"), (1, "extra") }));
        }
    }

    [Test]
    public void Keys_the_file_sets_win()
    {
        var recipe = Parse("""
            tags: [edge]
            platform: linux/amd64
            created: "2025-06-01T00:00:00Z"
            base: scratch
            config:
              entrypoint: ["/app/other"]

            """);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(recipe.Tags, Is.EqualTo(new[] { "edge" }));
            Assert.That(recipe.Platform.ToString(), Is.EqualTo("linux/amd64"));
            Assert.That(recipe.Created.Year, Is.EqualTo(2025));
            Assert.That(recipe.Base, Is.TypeOf<ScratchBase>());
            Assert.That(recipe.Config.Entrypoint, Is.EqualTo(new[] { "/app/other" }));
        }
    }

    [Test]
    public void The_front_ends_tags_still_replace_both()
    {
        var recipe = Parse("tags: [edge]\n", new RecipeOptions { Tags = ["ci"] });

        Assert.That(recipe.Tags, Is.EqualTo(new[] { "ci" }));
    }

    [Test]
    public void A_file_with_image_stands_alone_and_the_underlay_is_not_read()
    {
        var read = false;
        var options = new RecipeOptions
        {
            Underlay = () =>
            {
                read = true;
                throw new LayerBuildException(DiagnosticCodes.InvalidBase, SourcePosition.StartOf("obj/layerbuild.generated.yml"), "must not be read");
            },
        };

        var recipe = RecipeParser.Parse("image: example/alone\n", "layerbuild.yml", "/project", options);

        Assert.That(read, Is.False);
        Assert.That(recipe.Image.Value.Familiar, Is.EqualTo("example/alone"));
        Assert.That(recipe.Steps, Is.Empty);
        Assert.That(recipe.Config.Entrypoint, Is.Null);
    }
}
