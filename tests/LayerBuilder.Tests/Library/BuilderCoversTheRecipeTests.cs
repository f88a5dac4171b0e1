using System.Reflection;
using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Library;

/// <summary>
/// The builder says everything a recipe can say: every key of <see cref="RecipeKeys"/> has a builder
/// method or parameter (a key added to the YAML without one fails here), and the example of
/// docs/library.md builds.
/// </summary>
public sealed class BuilderCoversTheRecipeTests
{
    /// <summary>Keys that are no method of their own, and why.</summary>
    private static readonly Dictionary<string, string> NotMethods = new(StringComparer.Ordinal)
    {
        ["image"] = "the argument of every From* factory",
        ["base"] = "the From* factories",
        ["args"] = "code has string interpolation; strings are taken as they are",
        ["steps"] = "Step",
        ["name"] = "the first argument of Step",
        ["rootfs"] = "FromRootfs",
        ["layout"] = "FromOciLayout",
        ["ref"] = "the reference argument of FromImageArchive and FromOciLayout",
    };

    /// <summary>Item keys whose parameter has a longer name.</summary>
    private static readonly Dictionary<string, string> ParameterNames = new(StringComparer.Ordinal)
    {
        ["src"] = "source",
        ["dest"] = "destination",
        ["content"] = "text",
        ["base64"] = "bytes",
    };

    public static IEnumerable<TestCaseData> MappingsWithMethods() =>
    [
        new TestCaseData(RecipeKeys.Root, typeof(RecipeBuilder)).SetArgDisplayNames("recipe"),
        new TestCaseData(RecipeKeys.Config, typeof(ConfigBuilder)).SetArgDisplayNames("config"),
        new TestCaseData(RecipeKeys.Step, typeof(StepBuilder)).SetArgDisplayNames("step"),
        new TestCaseData(RecipeKeys.Base, typeof(RecipeBuilder)).SetArgDisplayNames("base"),
    ];

    [TestCaseSource(nameof(MappingsWithMethods))]
    public void Every_key_has_a_builder_method(string[] keys, Type builder)
    {
        var methods = builder.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Select(m => m.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

        // A list key (files, ports) is one method per item (File, Port).
        var missing = keys.Where(k => !NotMethods.ContainsKey(k) && !methods.Contains(k) && !methods.Contains(k.TrimEnd('s')));

        Assert.That(missing, Is.Empty);
    }

    public static IEnumerable<TestCaseData> ItemsWithParameters() =>
    [
        new TestCaseData(RecipeKeys.Copy, typeof(StepBuilder), "Copy").SetArgDisplayNames("copy"),
        new TestCaseData(RecipeKeys.File, typeof(StepBuilder), "File").SetArgDisplayNames("files"),
        new TestCaseData(RecipeKeys.Dir, typeof(StepBuilder), "Dir").SetArgDisplayNames("dirs"),
        new TestCaseData(RecipeKeys.Symlink, typeof(StepBuilder), "Symlink").SetArgDisplayNames("symlinks"),
        new TestCaseData(RecipeKeys.Hardlink, typeof(StepBuilder), "Hardlink").SetArgDisplayNames("hardlinks"),
        new TestCaseData(RecipeKeys.Extract, typeof(StepBuilder), "Extract").SetArgDisplayNames("extract"),
        new TestCaseData(RecipeKeys.User, typeof(StepBuilder), "User").SetArgDisplayNames("users"),
        new TestCaseData(RecipeKeys.Defaults, typeof(RecipeBuilder), "Defaults").SetArgDisplayNames("defaults"),
        new TestCaseData(RecipeKeys.Healthcheck, typeof(ConfigBuilder), "Healthcheck").SetArgDisplayNames("healthcheck"),
        new TestCaseData(RecipeKeys.Node, typeof(StepBuilder), "Node").SetArgDisplayNames("nodes"),
        new TestCaseData(RecipeKeys.Check.Where(k => k != "config").ToArray(), typeof(RecipeBuilder), "Check").SetArgDisplayNames("checks"),
        new TestCaseData(RecipeKeys.ConfigCheck, typeof(RecipeBuilder), "CheckConfig").SetArgDisplayNames("checks config"),
    ];

    [TestCaseSource(nameof(ItemsWithParameters))]
    public void Every_item_key_is_a_parameter(string[] keys, Type builder, string method)
    {
        var parameters = builder.GetMethods().Where(m => m.Name == method)
            .SelectMany(m => m.GetParameters()).Select(p => p.Name!).ToHashSet(StringComparer.Ordinal);

        var missing = keys.Where(k => !parameters.Contains(ParameterNames.GetValueOrDefault(k, k)));

        Assert.That(missing, Is.Empty);
    }

    [Test]
    public async Task The_example_of_the_library_page_builds()
    {
        // docs/library.md, "A fixture in a few lines", with a temporary path for "hello.tar".
        using var temp = new TempDirectory();
        var path = temp.Combine("hello.tar");

        BuildRecipe recipe = RecipeBuilder.FromScratch("fixtures/hello")
            .Tags("1.0")
            .Created(DateTimeOffset.UnixEpoch)
            .Step("app", s => s
                .File("/app/run.sh", "#!/bin/sh\necho hi\n", mode: (UnixFileMode)0b111_101_101)   // 0755
                .Symlink("/app/latest", "run.sh"))
            .Config(c => c.Entrypoint("/app/run.sh").Env("MODE", "test"))
            .Build();

        BuildResult result = await ImageBuilder.BuildAsync(
            BuildRequest.ToFile(recipe, path) with { Format = ArchiveFormat.Oci });

        var page = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "library.md"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(page, Does.Contain(".File(\"/app/run.sh\", \"#!/bin/sh\\necho hi\\n\", mode: (UnixFileMode)0b111_101_101)"), "the page still shows this example");
            Assert.That(result.RepoTags, Is.EqualTo(new[] { "fixtures/hello:1.0" }));
            Assert.That(result.Layers, Has.Count.EqualTo(1));
            Assert.That(recipe.Steps.Single().Files.Single().Mode, Is.EqualTo(0x1ED), "0755");
        }
    }
}
