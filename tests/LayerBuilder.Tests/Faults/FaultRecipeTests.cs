using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Diagnostics;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Faults;

/// <summary><c>faults:</c> in YAML and <c>RecipeBuilder.Faults</c> in code are one model; names are
/// checked, and a fault the image cannot carry is refused before anything is written.</summary>
public sealed class FaultRecipeTests
{
    private const string Yaml = """
        image: fixtures/faulty
        tags: ["1.0"]
        faults: [missing-layer, symlink-escape]
        steps:
          - files:
              - { path: /a, content: "a" }
        """;

    [Test]
    public void Yaml_faults_are_the_builder_faults()
    {
        var parsed = RecipeParser.Parse(Yaml, "layerbuild.yml", "/");
        var built = RecipeBuilder.FromScratch("fixtures/faulty").Faults(ImageFault.MissingLayer, ImageFault.SymlinkEscape, ImageFault.MissingLayer).Build();

        Assert.That(parsed.Faults.Select(f => f.Value), Is.EqualTo(built.Faults.Select(f => f.Value)));
        Assert.That(parsed.Faults[0].Position.Line, Is.EqualTo(3));
    }

    [Test]
    public void An_unknown_fault_is_LB1055_with_the_nearest_name()
    {
        var e = Assert.Throws<LayerBuildException>(() => RecipeParser.Parse(Yaml.Replace("missing-layer", "missing-layr"), "layerbuild.yml", "/"));

        Assert.That(e!.Diagnostics.Single().Code.Id, Is.EqualTo("LB1055"));
        Assert.That(e.Diagnostics.Single().Message, Does.Contain("Did you mean 'missing-layer'?"));
        Assert.That(e.Diagnostics.Single().Position.Line, Is.EqualTo(3));
    }

    [Test]
    public void Missing_manifest_in_the_docker_format_is_LB1056_and_nothing_is_written()
    {
        using var temp = new TempDirectory();
        var recipe = RecipeBuilder.FromScratch("fixtures/faulty").Step(s => s.File("/a", "a")).Faults(ImageFault.MissingManifest).Build();
        var output = temp.Combine("out.tar");

        var e = Assert.ThrowsAsync<LayerBuildException>(() => ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, output) with { Format = ArchiveFormat.Docker }));

        Assert.That(e!.Diagnostics.Single().Code.Id, Is.EqualTo("LB1056"));
        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public void A_layer_fault_on_an_image_without_layers_is_LB1056()
    {
        using var temp = new TempDirectory();
        var recipe = RecipeBuilder.FromScratch("fixtures/faulty").Faults(ImageFault.TruncatedLayer).Build();

        var e = Assert.ThrowsAsync<LayerBuildException>(() => ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, temp.Combine("out.tar"))));

        Assert.That(e!.Diagnostics.Single().Code.Id, Is.EqualTo("LB1056"));
        Assert.That(e.Diagnostics.Single().Message, Does.Contain("truncated-layer"));
    }
}
