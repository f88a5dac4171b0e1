using LayerBuilder.Build;
using LayerBuilder.Image;
using LayerBuilder.Recipe;

namespace LayerBuilder.Tests.Library;

/// <summary>
/// A missing argument is a programming error, not a recipe problem: every public entry point of the
/// library throws <see cref="ArgumentNullException"/> for null and <see cref="ArgumentException"/> for an
/// empty string where a value is needed, at the call (not later in <c>Build()</c>).
/// </summary>
public sealed class ArgumentChecksTests
{
    private static readonly BuildRecipe Recipe = RecipeBuilder.FromScratch("fixtures/arguments").Build();

    public static IEnumerable<TestCaseData> NullArguments() => Cases(
        ("FromScratch(null)", () => RecipeBuilder.FromScratch(null!)),
        ("FromRootfs(image, null)", () => RecipeBuilder.FromRootfs("a", null!)),
        ("FromImageArchive(image, null)", () => RecipeBuilder.FromImageArchive("a", null!)),
        ("FromOciLayout(null, path)", () => RecipeBuilder.FromOciLayout(null!, "layout")),
        ("Tags(null)", () => Scratch().Tags(null!)),
        ("Tags(a, null)", () => Scratch().Tags("a", null!)),
        ("Platform(null)", () => Scratch().Platform(null!)),
        ("BaseDirectory(null)", () => Scratch().BaseDirectory(null!)),
        ("Step(name, null)", () => Scratch().Step("a", (Action<StepBuilder>)null!)),
        ("Step(name, null per platform)", () => Scratch().Step("a", (Action<StepBuilder, Image.Platform>)null!)),
        ("Platforms(null)", () => Scratch().Platforms(null!)),
        ("Platforms(a, null)", () => Scratch().Platforms("linux/amd64", null!)),
        ("Step(null)", () => Scratch().Step(null!)),
        ("Config(null)", () => Scratch().Config(null!)),
        ("File(null, text)", () => Step(s => s.File(null!, "x"))),
        ("File(path, null text)", () => Step(s => s.File("/a", (string)null!))),
        ("Dir(null)", () => Step(s => s.Dir(null!))),
        ("Symlink(path, null)", () => Step(s => s.Symlink("/a", null!))),
        ("Hardlink(null, target)", () => Step(s => s.Hardlink(null!, "/a"))),
        ("Copy(null, dest)", () => Step(s => s.Copy(null!, "/a"))),
        ("Copy include with null", () => Step(s => s.Copy("a", "/a", include: [null!]))),
        ("Extract(src, null)", () => Step(s => s.Extract("a", null!))),
        ("Remove(null)", () => Step(s => s.Remove(null!))),
        ("Remove(a, null)", () => Step(s => s.Remove("/a", null!))),
        ("Entrypoint(null)", () => Config(c => c.Entrypoint(null!))),
        ("Cmd(a, null)", () => Config(c => c.Cmd("a", null!))),
        ("EntrypointShell(null)", () => Config(c => c.EntrypointShell(null!))),
        ("Env(name, null)", () => Config(c => c.Env("A", null!))),
        ("Label(null, value)", () => Config(c => c.Label(null!, "v"))),
        ("Annotation(key, null)", () => Config(c => c.Annotation("k", null!))),
        ("Port(null)", () => Config(c => c.Port(null!))),
        ("Volume(null)", () => Config(c => c.Volume(null!))),
        ("Workdir(null)", () => Config(c => c.Workdir(null!))),
        ("StopSignal(null)", () => Config(c => c.StopSignal(null!))),
        ("User(null string)", () => Config(c => c.User((string)null!))),
        ("Healthcheck(null)", () => Config(c => c.Healthcheck(null!))),
        ("HealthcheckShell(null)", () => Config(c => c.HealthcheckShell(null!))),
        ("EntryOwner.Names(null)", () => EntryOwner.Names(null!)),
        ("EntryOwner.Parse(null)", () => EntryOwner.Parse(null!)),
        ("ImageReference.Parse(null)", () => ImageReference.Parse(null!)),
        ("BuildRequest.ToFile(null, path)", () => BuildRequest.ToFile(null!, "image.tar")),
        ("BuildRequest.ToFile(recipe, null)", () => BuildRequest.ToFile(Recipe, null!)),
        ("BuildRequest.ToStream(recipe, null)", () => BuildRequest.ToStream(Recipe, null!)),
        ("ImageBuilder.BuildAsync(null)", () => ImageBuilder.BuildAsync(null!)),
        ("RecipeParser.Parse(null, ...)", () => RecipeParser.Parse(null!, "layerbuild.yml", ".")),
        ("RecipeParser.ParseFile(null)", () => RecipeParser.ParseFile(null!)));

    public static IEnumerable<TestCaseData> EmptyArguments() => Cases(
        ("FromScratch(\"\")", () => RecipeBuilder.FromScratch("")),
        ("FromRootfs(image, \"\")", () => RecipeBuilder.FromRootfs("a", "")),
        ("FromImageArchive ref \"\"", () => RecipeBuilder.FromImageArchive("a", "b.tar", "")),
        ("Tags(\"\")", () => Scratch().Tags("")),
        ("Platform(\"\")", () => Scratch().Platform("")),
        ("BaseDirectory(\"\")", () => Scratch().BaseDirectory("")),
        ("Step(\"\", ...)", () => Scratch().Step("", _ => { })),
        ("File(\"\", text)", () => Step(s => s.File("", "x"))),
        ("File(\"\", bytes)", () => Step(s => s.File("", new byte[] { 1 }))),
        ("Dir(\"\")", () => Step(s => s.Dir(""))),
        ("Symlink(path, \"\")", () => Step(s => s.Symlink("/a", ""))),
        ("Hardlink(path, \"\")", () => Step(s => s.Hardlink("/a", ""))),
        ("Copy(src, \"\")", () => Step(s => s.Copy("a", ""))),
        ("Copy exclude \"\"", () => Step(s => s.Copy("a", "/a", exclude: [""]))),
        ("Extract(\"\", dest)", () => Step(s => s.Extract("", "/a"))),
        ("Remove(\"\")", () => Step(s => s.Remove(""))),
        ("Entrypoint(\"\")", () => Config(c => c.Entrypoint(""))),
        ("CmdShell(\"\")", () => Config(c => c.CmdShell(""))),
        ("Env(\"\", value)", () => Config(c => c.Env("", "v"))),
        ("Label(\"\", value)", () => Config(c => c.Label("", "v"))),
        ("Port(\"\")", () => Config(c => c.Port(""))),
        ("User(\"\")", () => Config(c => c.User(""))),
        ("User(default)", () => Config(c => c.User(default))),
        ("File owner default", () => Step(s => s.File("/a", "x", owner: default(EntryOwner)))),
        ("Healthcheck test with \"\"", () => Config(c => c.Healthcheck(["CMD", ""]))),
        ("EntryOwner.Names(user, \"\")", () => EntryOwner.Names("app", "")),
        ("BuildRequest.ToFile(recipe, \"\")", () => BuildRequest.ToFile(Recipe, "")),
        ("BuildRequest.ToStream(recipe, read-only)", () => BuildRequest.ToStream(Recipe, new MemoryStream([], writable: false))),
        ("ImageBuilder.BuildAsync(output \"\")", () => ImageBuilder.BuildAsync(new BuildRequest(Recipe, ""))),
        ("RecipeParser.Parse(yaml, \"\", folder)", () => RecipeParser.Parse("image: a\n", "", ".")));

    [TestCaseSource(nameof(NullArguments))]
    public void A_null_argument_throws_ArgumentNullException(Func<object> call) =>
        Assert.That(() => Run(call), Throws.InstanceOf<ArgumentNullException>());

    [TestCaseSource(nameof(EmptyArguments))]
    public void An_empty_argument_throws_ArgumentException(Func<object> call) =>
        Assert.That(() => Run(call), Throws.InstanceOf<ArgumentException>().And.Not.InstanceOf<ArgumentNullException>());

    [Test]
    public void Arguments_that_are_given_build_without_complaint()
    {
        // The other half of the checks above: the same calls with real values pass them.
        var recipe = RecipeBuilder.FromScratch("fixtures/arguments")
            .Step("a", s => s.File("/a", "").File("/b", new byte[] { 1 }).Dir("/c").Symlink("/d", "a").Hardlink("/e", "/a"))
            .Config(c => c.Entrypoint().Cmd("x").Env("A", "").Label("k", "").Annotation("k", "").User(EntryOwner.Ids(0, 0)))
            .Build();

        Assert.That(recipe.Steps.Single().Files, Has.Count.EqualTo(2));
    }

    private static object Run(Func<object> call)
    {
        var result = call();
        if (result is Task task)
        {
            task.GetAwaiter().GetResult();
        }

        return result;
    }

    private static RecipeBuilder Scratch() => RecipeBuilder.FromScratch("fixtures/arguments");

    private static object Step(Action<StepBuilder> step) => Scratch().Step("a", step);

    private static object Config(Action<ConfigBuilder> config) => Scratch().Config(config);

    private static IEnumerable<TestCaseData> Cases(params (string Name, Func<object> Call)[] cases) =>
        cases.Select(c => new TestCaseData(c.Call).SetArgDisplayNames(c.Name));
}
