using LayerBuilder.Build;
using LayerBuilder.Diagnostics;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Library;

/// <summary>
/// A wrong value gets the same LB code whether it comes from YAML or from <see cref="RecipeBuilder"/>:
/// both hand it to the same checks. Values the builder checks are reported by <c>Build()</c>; values only a
/// build can judge (a missing source, a path written twice, an unknown owner name) by the build, each
/// naming its place in words, never as <c>:0:0</c>.
/// </summary>
public sealed class ValidationParityTests
{
    private const string Header = "image: fixtures/parity\n";

    private static RecipeBuilder Scratch() => RecipeBuilder.FromScratch("fixtures/parity");

    private static RecipeBuilder OneFile(Func<StepBuilder, StepBuilder> step) => Scratch().Step("app", s => step(s));

    public static IEnumerable<TestCaseData> BadValues()
    {
        yield return Row("image name with capitals", "LB1010", "image: Fixtures/Parity\n", () => RecipeBuilder.FromScratch("Fixtures/Parity"));
        yield return Row("image name with a tag", "LB1010", "image: fixtures/parity:1.0\n", () => RecipeBuilder.FromScratch("fixtures/parity:1.0"));
        yield return Row("tag starting with '-'", "LB1011", Header + "tags: [\"-x\"]\n", () => Scratch().Tags("-x"));
        yield return Row("no tags", "LB1011", Header + "tags: []\n", () => Scratch().Tags());
        yield return Row("platform without architecture", "LB1012", Header + "platform: linux\n", () => Scratch().Platform("linux"));
        yield return Row("defaults owner", "LB1021", Header + "defaults: { owner: \"a:b:c\" }\n", () => Scratch().Defaults(owner: "a:b:c"));
        yield return Row("defaults mode past 07777", "LB1020", Header + "defaults: { fileMode: \"17777\" }\n", () => Scratch().Defaults(fileMode: (UnixFileMode)0x1FFF));
        yield return Row("file mode past 07777", "LB1020", Step("files: [{ path: /a, content: x, mode: \"10000\" }]"), () => OneFile(s => s.File("/a", "x", mode: (UnixFileMode)0x1000)));
        yield return Row("negative mode", "LB1020", Step("dirs: [{ path: /a, mode: \"-755\" }]"), () => OneFile(s => s.Dir("/a", mode: (UnixFileMode)(-1))));
        yield return Row("negative uid", "LB1021", Step("files: [{ path: /a, content: x, owner: \"-1:0\" }]"), () => OneFile(s => s.File("/a", "x", owner: EntryOwner.Ids(-1, 0))));
        yield return Row("owner with three parts", "LB1021", Step("dirs: [{ path: /a, owner: \"a:b:c\" }]"), () => OneFile(s => s.Dir("/a", owner: "a:b:c")));
        yield return Row("relative file path", "LB1022", Step("files: [{ path: etc/a, content: x }]"), () => OneFile(s => s.File("etc/a", "x")));
        yield return Row("file path climbing above /", "LB1023", Step("files: [{ path: /../a, content: x }]"), () => OneFile(s => s.File("/../a", "x")));
        yield return Row("file named like a whiteout", "LB1035", Step("files: [{ path: /etc/.wh.passwd, content: x }]"), () => OneFile(s => s.File("/etc/.wh.passwd", "x")));
        yield return Row("folder named like the opaque marker", "LB1035", Step("dirs: [{ path: /a/.wh..wh..opq }]"), () => OneFile(s => s.Dir("/a/.wh..wh..opq")));
        yield return Row("symlink under a whiteout name", "LB1035", Step("symlinks: [{ path: /.wh.a/b, target: x }]"), () => OneFile(s => s.Symlink("/.wh.a/b", "x")));
        yield return Row("hardlink named like a whiteout", "LB1035", Step("hardlinks: [{ path: /.wh.b, target: /a }]"), () => OneFile(s => s.Hardlink("/.wh.b", "/a")));
        yield return Row("copy dest named like a whiteout", "LB1035", Step("copy: [{ src: x, dest: /srv/.wh.x/ }]"), () => OneFile(s => s.Copy("x", "/srv/.wh.x/")));
        yield return Row("extract dest named like a whiteout", "LB1035", Step("extract: [{ src: x.tar, dest: /opt/.wh.x }]"), () => OneFile(s => s.Extract("x.tar", "/opt/.wh.x")));
        yield return Row("relative copy dest", "LB1022", Step("copy: [{ src: x, dest: srv/ }]"), () => OneFile(s => s.Copy("x", "srv/")));
        yield return Row("copy dest climbing above /", "LB1023", Step("copy: [{ src: x, dest: /../srv/ }]"), () => OneFile(s => s.Copy("x", "/../srv/")));
        yield return Row("relative extract dest", "LB1022", Step("extract: [{ src: x.tar, dest: opt }]"), () => OneFile(s => s.Extract("x.tar", "opt")));
        yield return Row("symlink target with NUL", "LB1023", Step("symlinks: [{ path: /a, target: \"x\\0y\" }]"), () => OneFile(s => s.Symlink("/a", "x\0y")));
        yield return Row("relative hardlink target", "LB1022", Step("hardlinks: [{ path: /b, target: a }]"), () => OneFile(s => s.Hardlink("/b", "a")));
        yield return Row("relative remove", "LB1022", Step("remove: [etc/a]"), () => OneFile(s => s.Remove("etc/a")));
        yield return Row("remove climbing above /", "LB1023", Step("remove: [/../a]"), () => OneFile(s => s.Remove("/../a")));
        yield return Row("include with an open class", "LB1030", Step("copy: [{ src: x, dest: /x/, include: \"[abc\" }]"), () => OneFile(s => s.Copy("x", "/x/", include: ["[abc"])));
        yield return Row("absolute exclude", "LB1030", Step("copy: [{ src: x, dest: /x/, exclude: [/abs] }]"), () => OneFile(s => s.Copy("x", "/x/", exclude: ["/abs"])));
        yield return Row("preserveMode with mode", "LB1032", Step("copy: [{ src: x, dest: /x/, mode: \"0755\", preserveMode: true }]"), () => OneFile(s => s.Copy("x", "/x/", mode: (UnixFileMode)0b111_101_101, preserveMode: true)));
        yield return Row("preserveMode with dirMode", "LB1032", Step("copy: [{ src: x, dest: /x/, dirMode: \"0755\", preserveMode: true }]"), () => OneFile(s => s.Copy("x", "/x/", dirMode: (UnixFileMode)0b111_101_101, preserveMode: true)));
        yield return Row("copy mode past 07777", "LB1020", Step("copy: [{ src: x, dest: /x/, dirMode: \"77777\" }]"), () => OneFile(s => s.Copy("x", "/x/", dirMode: (UnixFileMode)0x7FFF)));
        yield return Row("step that does nothing", "LB1029", Header + "steps:\n  - name: idle\n", () => Scratch().Step("idle", _ => { }));
        yield return Row("env name with '='", "LB1004", Config("env: { \"A=B\": x }"), () => Scratch().Config(c => c.Env("A=B", "x")));
        yield return Row("relative workdir", "LB1022", Config("workdir: app"), () => Scratch().Config(c => c.Workdir("app")));
        yield return Row("workdir climbing above /", "LB1023", Config("workdir: /../app"), () => Scratch().Config(c => c.Workdir("/../app")));
        yield return Row("user with three parts", "LB1031", Config("user: \"a:b:c\""), () => Scratch().Config(c => c.User("a:b:c")));
        yield return Row("port out of range", "LB1025", Config("ports: [\"70000\"]"), () => Scratch().Config(c => c.Port(70000)));
        yield return Row("port zero", "LB1025", Config("ports: [\"0\"]"), () => Scratch().Config(c => c.Port(0)));
        yield return Row("unknown protocol", "LB1025", Config("ports: [\"80/xyz\"]"), () => Scratch().Config(c => c.Port("80/xyz")));
        yield return Row("relative volume", "LB1022", Config("volumes: [data]"), () => Scratch().Config(c => c.Volume("data")));
        yield return Row("volume climbing above /", "LB1023", Config("volumes: [/../data]"), () => Scratch().Config(c => c.Volume("/../data")));
        yield return Row("unknown stop signal", "LB1026", Config("stopSignal: SIGFOO"), () => Scratch().Config(c => c.StopSignal("SIGFOO")));
        yield return Row("stop signal past 64", "LB1026", Config("stopSignal: \"65\""), () => Scratch().Config(c => c.StopSignal("65")));
        yield return Row("healthcheck test of no form", "LB1004", Config("healthcheck: { test: [FOO, x] }"), () => Scratch().Config(c => c.Healthcheck(["FOO", "x"])));
        yield return Row("negative healthcheck interval", "LB1027", Config("healthcheck: { test: [NONE], interval: \"-5s\" }"), () => Scratch().Config(c => c.Healthcheck(["NONE"], interval: TimeSpan.FromSeconds(-5))));
        yield return Row("healthcheck timeout past the config's number", "LB1027", Config("healthcheck: { test: [NONE], timeout: 9999999999999999999s }"), () => Scratch().Config(c => c.Healthcheck(["NONE"], timeout: TimeSpan.MaxValue)));
        yield return Row("negative retries", "LB1004", Config("healthcheck: { test: [NONE], retries: \"-1\" }"), () => Scratch().Config(c => c.Healthcheck(["NONE"], retries: -1)));
    }

    [TestCaseSource(nameof(BadValues))]
    public void A_bad_value_gets_the_same_code_from_code_as_from_yaml(string yaml, Func<RecipeBuilder> code, string expected)
    {
        var fromYaml = Assert.Throws<LayerBuildException>(() => RecipeParser.Parse(yaml, "layerbuild.yml", Path.GetTempPath()));
        var fromCode = Assert.Throws<LayerBuildException>(() => code().Build());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fromYaml.Diagnostics.Select(d => d.Code.Id), Is.EqualTo(new[] { expected }), "the YAML form");
            Assert.That(fromCode.Diagnostics.Select(d => d.Code.Id), Is.EqualTo(new[] { expected }), "the builder");
            Assert.That(fromCode.Diagnostics[0].ToCliString(), Does.StartWith("recipe built in code ("));
            Assert.That(fromCode.Diagnostics[0].ToCliString(), Does.Not.Contain(":0:0"));
        }
    }

    /// <summary>Problems a build finds (not the value checks): the same code, and the place in words.</summary>
    public static IEnumerable<TestCaseData> BuildTimeProblems()
    {
        yield return Row("copy source missing", "LB2001", Step("copy: [{ src: missing.txt, dest: /x }]"), () => OneFile(s => s.Copy("missing.txt", "/x")));
        yield return Row("path written twice", "LB2003", Step("files: [{ path: /a, content: x }]\n    dirs: [{ path: /a }]"), () => OneFile(s => s.File("/a", "x").Dir("/a")));
        yield return Row("remove of a path no layer has", "LB2004", Step("remove: [/nothing]"), () => OneFile(s => s.Remove("/nothing")));
        yield return Row("owner name not in the image", "LB2020", Step("files: [{ path: /a, content: x, owner: nobody }]"), () => OneFile(s => s.File("/a", "x", owner: "nobody")));
        yield return Row("config user not in the image", "LB2020", Config("user: nobody") + "steps: [{ files: [{ path: /a, content: x }] }]\n", () => Scratch().Config(c => c.User("nobody")).Step(s => s.File("/a", "x")));
        yield return Row("rootfs base missing", "LB2001", "image: fixtures/parity\nbase: { rootfs: missing.tar }\n", () => RecipeBuilder.FromRootfs("fixtures/parity", "missing.tar"));
    }

    [TestCaseSource(nameof(BuildTimeProblems))]
    public async Task A_build_time_problem_gets_the_same_code_and_a_place_in_words(string yaml, Func<RecipeBuilder> code, string expected)
    {
        using var temp = new TempDirectory();
        var fromYaml = await FailingBuildAsync(RecipeParser.Parse(yaml, "layerbuild.yml", temp.Path), temp.Combine("yaml.tar"));
        var fromCode = await FailingBuildAsync(code().BaseDirectory(temp.Path).Build(), temp.Combine("code.tar"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fromYaml.Select(d => d.Code.Id), Is.EqualTo(new[] { expected }), "the YAML form");
            Assert.That(fromCode.Select(d => d.Code.Id), Is.EqualTo(new[] { expected }), "the builder");
            Assert.That(fromCode[0].ToCliString(), Does.StartWith("recipe built in code ("));
            Assert.That(fromCode[0].ToCliString(), Does.Not.Contain(":0:0"));
            Assert.That(fromCode[0].ToMSBuildString(), Does.Not.Contain("(0,0)"));
        }
    }

    [Test]
    public void Every_wrong_value_is_reported_in_one_exception()
    {
        var builder = RecipeBuilder.FromScratch("Bad")
            .Tags("-x")
            .Step("app", s => s.File("relative", "x").Dir("/d", mode: (UnixFileMode)0x10000))
            .Config(c => c.Port(0).StopSignal("NOPE"));

        var e = Assert.Throws<LayerBuildException>(() => builder.Build());

        // In the recipe's order: the image, its tags, the config, the steps.
        Assert.That(e.Diagnostics.Select(d => d.Code.Id), Is.EqualTo(new[] { "LB1010", "LB1011", "LB1025", "LB1026", "LB1022", "LB1020" }));
    }

    [Test]
    public void A_diagnostic_names_the_step_and_the_entry()
    {
        var e = Assert.Throws<LayerBuildException>(() => OneFile(s => s.File("/etc/.wh.passwd", "x")).Build());

        Assert.That(e.Message, Is.EqualTo(
            "recipe built in code (step 'app', file /etc/.wh.passwd): error LB1035: 'path' of a 'files' item of step 1: '.wh.passwd' is a whiteout name; " +
            "in a layer it would delete files of the layers below instead of being a file. To delete a path, use 'remove'"));
    }

    [Test]
    public void A_duplicate_in_code_names_both_places_in_words()
    {
        var recipe = OneFile(s => s.File("/a", "x").Symlink("/a", "y")).Build();

        var e = Assert.ThrowsAsync<LayerBuildException>(() => ImageBuilder.BuildAsync(BuildRequest.ToStream(recipe, Stream.Null)));

        Assert.That(e!.Diagnostics[0].Message, Does.Contain("(recipe built in code (step 'app', file /a))").Or.Contain("(recipe built in code (step 'app', symlink /a))"));
        Assert.That(e.Diagnostics[0].Message, Does.Not.Contain("line 0"));
    }

    [Test]
    public void ImageReference_Parse_refuses_a_bad_name_with_the_recipe_code()
    {
        var e = Assert.Throws<LayerBuildException>(() => Image.ImageReference.Parse("Not/Valid"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Diagnostics.Single().Code, Is.EqualTo(DiagnosticCodes.InvalidImageName));
            Assert.That(Image.ImageReference.TryParse("Not/Valid", out var none), Is.False);
            Assert.That(none, Is.Null);
            Assert.That(Image.ImageReference.TryParse("example/hello", out var hello), Is.True);
            Assert.That(hello!.Full, Is.EqualTo("docker.io/example/hello"));
            Assert.That(Image.ImageReference.Parse("hello").Full, Is.EqualTo("docker.io/library/hello"));
        }
    }

    private static async Task<IReadOnlyList<Diagnostic>> FailingBuildAsync(BuildRecipe recipe, string output)
    {
        try
        {
            await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, output));
        }
        catch (LayerBuildException e)
        {
            return e.Diagnostics;
        }

        Assert.Fail("the build succeeded");
        return [];
    }

    private static string Step(string operations) => Header + "steps:\n  - name: app\n    " + operations + "\n";

    private static string Config(string keys) => Header + "config:\n  " + keys + "\n";

    private static TestCaseData Row(string name, string code, string yaml, Func<RecipeBuilder> builder) =>
        new TestCaseData(yaml, builder, code).SetArgDisplayNames(name, code);
}
