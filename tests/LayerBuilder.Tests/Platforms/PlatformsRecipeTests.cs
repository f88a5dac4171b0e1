using LayerBuilder.Diagnostics;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Platforms;

/// <summary>The recipe key <c>platforms</c> (docs/recipe.md, "Several platforms"): one recipe per platform,
/// each read with Docker's <c>TARGET*</c> args, platforms in BuildKit's normal form, and its clear errors.</summary>
public sealed class PlatformsRecipeTests
{
    private const string Recipe = """
        image: example/multi
        platforms: [linux/amd64, linux/arm64/v8, linux/arm]
        steps:
          - name: app
            files:
              - { path: "/${TARGETARCH}", content: "${TARGETPLATFORM}|${TARGETOS}|${TARGETARCH}|${TARGETVARIANT}" }
        """;

    [Test]
    public void Each_platform_gets_its_own_recipe_with_Dockers_target_args()
    {
        var recipe = Parse(Recipe);

        Assert.That(recipe.PlatformRecipes.Select(r => r.Platform.ToString()), Is.EqualTo(new[] { "linux/amd64", "linux/arm64", "linux/arm/v7" }),
            "arm64/v8 is arm64 and arm is arm/v7, as BuildKit normalizes them");
        Assert.That(recipe.PlatformRecipes, Has.All.Matches<BuildRecipe>(r => r.PlatformSet));
        Assert.That(recipe.Platform, Is.EqualTo(recipe.PlatformRecipes[0].Platform), "the recipe itself is the first platform's");
        var files = recipe.PlatformRecipes.Select(r => r.Steps.Single().Files.Single()).ToList();
        Assert.That(files.Select(f => f.Path.Value.ToString()), Is.EqualTo(new[] { "/amd64", "/arm64", "/arm" }));
        Assert.That(files.Select(f => System.Text.Encoding.UTF8.GetString(f.Content.Span)), Is.EqualTo(new[]
        {
            "linux/amd64|linux|amd64|",
            "linux/arm64|linux|arm64|",
            "linux/arm/v7|linux|arm|v7",
        }));
    }

    [Test]
    public void A_single_platform_recipe_has_the_target_args_of_its_platform_and_no_platform_recipes()
    {
        var recipe = Parse("""
            image: example/one
            platform: linux/arm64/v8
            steps:
              - files: [{ path: /p, content: "${TARGETPLATFORM} ${TARGETARCH} ${TARGETVARIANT}" }]
            """);

        Assert.That(recipe.PlatformRecipes, Is.Empty);
        Assert.That(recipe.Platform.ToString(), Is.EqualTo("linux/arm64/v8"), "'platform' keeps its value as written");
        Assert.That(System.Text.Encoding.UTF8.GetString(recipe.Steps[0].Files[0].Content.Span), Is.EqualTo("linux/arm64/v8 arm64 v8"));
    }

    [Test]
    public void The_recipe_args_may_set_a_target_arg_of_a_single_platform_recipe()
    {
        var recipe = Parse("""
            image: example/one
            args: { TARGETARCH: riscv64 }
            steps:
              - files: [{ path: /p, content: "${TARGETARCH}" }]
            """);

        Assert.That(System.Text.Encoding.UTF8.GetString(recipe.Steps[0].Files[0].Content.Span), Is.EqualTo("riscv64"), "a recipe that set it before keeps working");
    }

    [TestCase("platform: linux/amd64\nplatforms: [linux/amd64, linux/arm64]\n", "LB1070", 1)]
    [TestCase("platforms: []\n", "LB1072", 1)]
    [TestCase("platforms: [linux/amd64, linux/arm64, linux/arm64/v8]\n", "LB1072", 1)]
    [TestCase("platforms: [linux/amd64, linux]\n", "LB1012", 1)]
    [TestCase("args: { TARGETOS: plan9 }\nplatforms: [linux/amd64, linux/arm64]\n", "LB1071", 1)]
    public void Wrong_platforms_are_clear_errors_with_a_position(string keys, string code, int count)
    {
        var e = Assert.Throws<LayerBuildException>(() => Parse("image: example/multi\n" + keys))!;

        Assert.That(e.Diagnostics.Select(d => d.Code.Id), Is.EqualTo(Enumerable.Repeat(code, count)), string.Join('\n', e.Diagnostics));
        Assert.That(e.Diagnostics[0].Position.Line, Is.GreaterThan(1), e.Diagnostics[0].ToString());
    }

    [Test]
    public void An_arg_option_cannot_set_a_target_arg_of_a_recipe_with_platforms()
    {
        var e = Assert.Throws<LayerBuildException>(() => Parse(Recipe, new RecipeOptions { Args = new Dictionary<string, string> { ["TARGETARCH"] = "s390x" } }))!;

        Assert.That(e.Diagnostics.Single().Code, Is.EqualTo(DiagnosticCodes.TargetArgSet));
        Assert.That(e.Diagnostics.Single().Message, Does.Contain("TARGETARCH"));
    }

    [Test]
    public void The_builder_makes_the_recipes_the_yaml_makes()
    {
        using var temp = new TempDirectory();
        var yaml = RecipeParser.Parse(Recipe, "layerbuild.yml", temp.Path);
        var code = RecipeBuilder.FromScratch("example/multi")
            .BaseDirectory(temp.Path)
            .Platforms("linux/amd64", "linux/arm64/v8", "linux/arm")
            .Step("app", (s, p) => s.File($"/{p.Architecture}", $"{p}|{p.Os}|{p.Architecture}|{p.Variant}"))
            .Build();

        Assert.That(code.PlatformRecipes.Select(r => r.Platform), Is.EqualTo(yaml.PlatformRecipes.Select(r => r.Platform)));
        Assert.That(code.PlatformRecipes.Select(r => r.Steps[0].Files[0].Path.Value.ToString()), Is.EqualTo(yaml.PlatformRecipes.Select(r => r.Steps[0].Files[0].Path.Value.ToString())));
        Assert.That(code.PlatformRecipes.Select(r => r.Steps[0].Files[0].Content.ToArray()), Is.EqualTo(yaml.PlatformRecipes.Select(r => r.Steps[0].Files[0].Content.ToArray())));
    }

    [Test]
    public void The_builder_refuses_platform_and_platforms_together()
    {
        var e = Assert.Throws<LayerBuildException>(() => RecipeBuilder.FromScratch("example/multi").Platform("linux/amd64").Platforms("linux/arm64").Build())!;

        Assert.That(e.Diagnostics.Single().Code, Is.EqualTo(DiagnosticCodes.PlatformAndPlatforms));
    }

    private static BuildRecipe Parse(string yaml, RecipeOptions? options = null) =>
        RecipeParser.Parse(yaml, "layerbuild.yml", Path.GetTempPath(), options);
}
