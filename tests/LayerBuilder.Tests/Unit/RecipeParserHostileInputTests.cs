using System.Text;
using LayerBuilder.Diagnostics;
using LayerBuilder.Recipe;

namespace LayerBuilder.Tests.Unit;

/// <summary>
/// Recipes as a fuzzer writes them: deep nesting, aliases that multiply, keys that are not words, tags,
/// directives, several documents, control characters, huge values, numbers past every range. Whatever
/// the text, the parser returns a recipe or throws <see cref="LayerBuildException"/> whose every
/// diagnostic is an LB1xxx with a line and column; never another exception, never a crashed stack.
/// </summary>
public sealed class RecipeParserHostileInputTests
{
    private const string File = "hostile.yml";
    private const string Image = "image: example/hostile\n";

    private static readonly string[] RootKeys = ["image", "tags", "platform", "created", "base", "args", "defaults", "config", "steps"];
    private static readonly string[] ConfigKeys = ["env", "entrypoint", "cmd", "workdir", "user", "labels", "annotations", "ports", "volumes", "stopSignal", "healthcheck"];
    private static readonly string[] StepKeys = ["name", "copy", "files", "dirs", "symlinks", "hardlinks", "extract", "remove"];

    /// <summary>Each shape a value can take, to put where the recipe expects another.</summary>
    private static readonly (string Name, string Yaml)[] Shapes =
    [
        ("null", "~"), ("empty", "\"\""), ("word", "x"), ("list", "[a, [b]]"), ("mapping", "{ a: { b: c } }"),
        ("alias of a list", "*l"), ("alias of a mapping", "*m"), ("tagged", "!!binary aGk="), ("custom tag", "!thing { a: 1 }"),
    ];

    private static IEnumerable<(string Name, string Yaml)> Documents()
    {
        // Nesting: every collection style, far past the limit.
        yield return ("100,000 flow lists", Image + "tags: " + new string('[', 100_000));
        yield return ("100,000 flow mappings", Image + "config: " + string.Concat(Enumerable.Repeat("{a: ", 100_000)));
        yield return ("100,000 block lists on one line", Image + "steps:\n" + string.Concat(Enumerable.Repeat("- ", 100_000)) + "x\n");
        yield return ("1,000 block mappings", Image + string.Concat(Enumerable.Range(0, 1_000).Select(i => new string(' ', i) + "a:\n")));
        yield return ("mixed flow nesting", Image + "steps: " + string.Concat(Enumerable.Repeat("[{a: ", 50_000)));
        yield return ("64 levels exactly", "image: example/hostile\ntags: " + new string('[', 63) + new string(']', 63) + "\n");

        // Aliases: recursive, unknown, multiplying, as keys.
        yield return ("alias inside its own list", Image + "tags: &t [a, *t]\n");
        yield return ("alias inside its own mapping", Image + "config: &c { labels: *c }\n");
        yield return ("alias inside its own step", Image + "steps: &s [{ name: a, files: *s }]\n");
        yield return ("unknown alias", Image + "tags: *nope\n");
        yield return ("alias as a key", Image + "a: &k image\n*k : x\n");
        yield return ("list as a key", Image + "? [a, b]\n: x\n");
        yield return ("mapping as a key", Image + "{ a: 1 }: x\n");
        yield return ("empty key", Image + ": x\n");
        yield return ("explicit key with nothing", Image + "?\n");
        yield return ("billion laughs as a value", Image + Laughs(9) + "tags: *a9\n");
        yield return ("billion laughs as a key", Image + Laughs(9) + "? *a9\n: x\n");
        yield return ("billion laughs as steps", Image + Laughs(9) + "steps: *a9\n");
        yield return ("billion laughs inside a key", Image + "? [" + string.Join(", ", Enumerable.Repeat("&a [x, x, x, x, x, x, x, x, x]", 1)) + ", " + string.Join(", ", Enumerable.Repeat("*a", 300)) + "]\n: x\n");
        yield return ("steps multiplied by aliases", Image + "f: &f { path: /a, content: x }\nsteps: &s\n  - files: [" + string.Join(", ", Enumerable.Repeat("*f", 1_000)) + "]\nx: [" + string.Join(", ", Enumerable.Repeat("*s", 1_000)) + "]\n");
        yield return ("a large text repeated by aliases", Image + "x: &big \"" + new string('x', 1 << 20) + "\"\ntags: [" + string.Join(", ", Enumerable.Repeat("*big", 100)) + "]\n");
        yield return ("args multiplied by references", Image + "args: { A: \"" + new string('x', 1 << 20) + "\" }\ntags: [\"" + string.Concat(Enumerable.Repeat("${A}", 100)) + "\"]\n");
        yield return ("anchor redefined", Image + "a: &x 1\nb: &x [2]\ntags: *x\n");
        yield return ("anchor on a key", Image + "&k tags: [a]\n");
        yield return ("image as an alias of a mapping", "m: &m { a: 1 }\nimage: *m\n");

        // Merge keys, tags, directives, documents.
        yield return ("merge key at the root", "base: &b { image: example/x }\n<<: *b\n");
        yield return ("merge key in env", Image + "config:\n  env:\n    <<: { A: b }\n");
        yield return ("merge of a list", Image + "config: { <<: [*x] }\n");
        yield return ("binary tag on content", Image + "steps:\n  - files: [{ path: /a, content: !!binary aGk= }]\n");
        yield return ("custom tag on the root", "!recipe\n" + Image);
        yield return ("verbatim tag", Image + "tags: !<tag:example.com,2000:x> [a]\n");
        yield return ("undefined tag handle", Image + "tags: !x!y [a]\n");
        yield return ("mismatched core tag", Image + "tags: !!map [a]\n");
        yield return ("non-specific tag", Image + "tags: ! a\n");
        yield return ("YAML 1.1 directive", "%YAML 1.1\n---\n" + Image);
        yield return ("YAML 2.0 directive", "%YAML 2.0\n---\n" + Image);
        yield return ("YAML directive twice", "%YAML 1.1\n%YAML 1.1\n---\n" + Image);
        yield return ("TAG directive", "%TAG !e! tag:example.com,2000:\n---\n" + Image + "tags: !e!x [a]\n");
        yield return ("unknown directive", "%FOO bar\n---\n" + Image);
        yield return ("directive without a document", "%YAML 1.1\n");
        yield return ("two documents", Image + "---\n" + Image);
        yield return ("a hundred documents", string.Concat(Enumerable.Repeat("---\n" + Image, 100)));
        yield return ("second document broken", Image + "---\ntags: [\n");
        yield return ("only a document end", "...\n");
        yield return ("only document starts", "---\n---\n");
        yield return ("a literal block as the document", "--- |\n  image: x\n");

        // Characters YAML forbids, and the ones it allows only escaped.
        yield return ("NUL in the middle", Image + "tags: [a\0b]\n");
        yield return ("NUL at the end", Image + "\0steps: 1\n");
        yield return ("control character", Image + "tags: [a\u0007]\n");
        yield return ("DEL", Image + "tags: [a\u007f]\n");
        yield return ("C1 control", Image + "tags: [a\u0090]\n");
        yield return ("U+FFFE", Image + "tags: [a\ufffe]\n");
        yield return ("lone high surrogate", Image + "tags: [a\ud800]\n");
        yield return ("lone low surrogate", Image + "tags: [\udc00]\n");
        yield return ("byte order mark first", "\ufeff" + Image);
        yield return ("byte order mark inside", Image + "\ufefftags: [a]\n");
        yield return ("escaped NUL in a path", Image + "steps:\n  - dirs: [{ path: \"/a\\0b\" }]\n");
        yield return ("escaped surrogate", Image + "steps:\n  - dirs: [{ path: \"/a\\ud800\" }]\n");
        yield return ("escaped code point past Unicode", Image + "tags: [\"\\UFFFFFFFF\"]\n");
        yield return ("escaped code point at the end of Unicode", Image + "tags: [\"\\U0010FFFF\"]\n");
        yield return ("unknown escape", Image + "tags: [\"\\q\"]\n");
        yield return ("CRLF line ends", (Image + "tags: [a]\nconfig:\n  workdir: /app\n").Replace("\n", "\r\n", StringComparison.Ordinal));
        yield return ("CR line ends", (Image + "tags: [a]\n").Replace('\n', '\r'));
        yield return ("next-line and line separators", Image + "tags: [a\u0085b\u2028c\u2029d]\n");
        yield return ("tab before a value", Image + "tags:\t[a]\n");

        // Sizes.
        yield return ("10 MB image name", "image: " + new string('a', 10_000_000) + "\n");
        yield return ("1 MB key", Image + new string('k', 1 << 20) + ": x\n");
        yield return ("1 MB explicit key", Image + "? " + new string('k', 1 << 20) + "\n: x\n");
        yield return ("10 MB comment", Image + "# " + new string('c', 10_000_000) + "\n");
        yield return ("a million tags", Image + "tags: [" + string.Join(",", Enumerable.Repeat("a", 1_000_000)) + "]\n");
        yield return ("100,000 unknown keys", Image + string.Concat(Enumerable.Range(0, 100_000).Select(i => $"k{i}: x\n")));
        yield return ("100,000 empty steps", Image + "steps:\n" + string.Concat(Enumerable.Repeat("  - {}\n", 100_000)));
        yield return ("10 MB of base64", Image + "steps:\n  - files: [{ path: /a, base64: \"" + new string('A', 10_000_000) + "\" }]\n");

        // Broken syntax.
        foreach (var broken in new[] { "[", "{", "\"", "'", "]", "}", ":", "-", "?", "&", "*", "!", "%", "@", "`", "|", ">", "|0", "|10", ">-+", "--- |9\n x", "&a &b x", "!a !b x", "{ a: 1, a: 2 }", "[a, b", "{a: [b}", "key: 'unterminated\n" })
        {
            yield return ($"broken: {broken}", Image + "tags: " + broken + "\n");
        }

        // Values past every range of the little languages.
        yield return ("mode overflowing", Image + "defaults: { fileMode: \"077777777777777777777\" }\n");
        yield return ("owner overflowing", Image + "defaults: { owner: \"99999999999999999999:99999999999999999999\" }\n");
        yield return ("owner negative", Image + "defaults: { owner: \"-1:-1\" }\n");
        yield return ("timestamp at the end of time", Image + "created: \"9999-12-31T23:59:59-01:00\"\n");
        yield return ("timestamp before year 1", Image + "created: \"0000-01-01T00:00:00+01:00\"\n");
        yield return ("timestamp on February 30", Image + "created: \"2024-02-30T00:00:00Z\"\n");
        yield return ("timestamp with a long fraction", Image + "created: \"2024-01-01T00:00:00." + new string('9', 1_000) + "Z\"\n");
        yield return ("duration of 40 digits", Image + "config: { healthcheck: { test: [NONE], interval: 1" + new string('0', 40) + "h } }\n");
        yield return ("duration overflowing a decimal", Image + "config: { healthcheck: { test: [NONE], interval: 79228162514264337593543950335h } }\n");
        yield return ("duration with a long fraction", Image + "config: { healthcheck: { test: [NONE], interval: 1." + new string('9', 1_000) + "s } }\n");
        yield return ("retries overflowing", Image + "config: { healthcheck: { test: [NONE], retries: 99999999999999999999 } }\n");
        yield return ("port overflowing", Image + "config: { ports: [\"99999999999999999999/tcp\"] }\n");
        yield return ("signal overflowing", Image + "config: { stopSignal: \"99999999999999999999\" }\n");
        yield return ("signal RTMIN plus a lot", Image + "config: { stopSignal: SIGRTMIN+99999999999999999999 }\n");
        yield return ("platform of slashes", Image + "platform: \"////\"\n");
        yield return ("image name of 100,000 slashes", "image: \"" + string.Concat(Enumerable.Repeat("a/", 100_000)) + "a\"\n");
        yield return ("malformed arg references", Image + "args: { A: x }\ntags: [\"${\", \"$${A}\", \"${A\", \"${${A}}\", \"$\", \"${}\"]\n");
        yield return ("path of 100,000 dot-dots", Image + "steps:\n  - dirs: [{ path: \"/" + string.Concat(Enumerable.Repeat("../", 100_000)) + "\" }]\n");

        // Every key of the recipe, of config and of a step given every shape.
        const string Anchors = "l: &l [a]\nm: &m { a: b }\n";
        foreach (var key in RootKeys)
        {
            foreach (var (shape, yaml) in Shapes)
            {
                yield return ($"{key} given {shape}", Anchors + (key == "image" ? "" : Image) + $"{key}: {yaml}\n");
            }
        }

        foreach (var key in ConfigKeys)
        {
            foreach (var (shape, yaml) in Shapes)
            {
                yield return ($"config.{key} given {shape}", Anchors + Image + $"config:\n  {key}: {yaml}\n");
            }
        }

        foreach (var key in StepKeys)
        {
            foreach (var (shape, yaml) in Shapes)
            {
                yield return ($"step {key} given {shape}", Anchors + Image + $"steps:\n  - {key}: {yaml}\n");
                yield return ($"step {key} item given {shape}", Anchors + Image + $"steps:\n  - {key}: [{yaml}]\n");
            }
        }
    }

    /// <summary>The "billion laughs": anchors a0..aN, each a list of nine aliases of the one before.</summary>
    private static string Laughs(int levels)
    {
        var text = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (var level = 1; level <= levels; level++)
        {
            text.Append($"a{level}: &a{level} [").AppendJoin(", ", Enumerable.Repeat($"*a{level - 1}", 9)).Append("]\n");
        }

        return text.ToString();
    }

    private static IEnumerable<TestCaseData> Cases() =>
        Documents().Select(d => new TestCaseData(d.Yaml).SetName($"Hostile recipe: {d.Name}"));

    [TestCaseSource(nameof(Cases))]
    public void Only_recipe_diagnostics_come_out(string yaml)
    {
        try
        {
            RecipeParser.Parse(yaml, File, "/recipes");
        }
        catch (LayerBuildException e)
        {
            Assert.That(e.Diagnostics, Is.Not.Empty);
            foreach (var d in e.Diagnostics)
            {
                Assert.That(d.Code.Number, Is.InRange(1000, 1999), d.ToString());
                Assert.That(d.Position.File, Is.EqualTo(File), d.ToString());
                Assert.That(d.Position.Line, Is.GreaterThanOrEqualTo(1), d.ToString());
                Assert.That(d.Position.Column, Is.GreaterThanOrEqualTo(1), d.ToString());
            }
        }
    }

    [Test]
    public void The_document_set_is_not_empty() =>
        Assert.That(Documents().Count(), Is.GreaterThan(300));

    [Test]
    public void The_billion_laughs_are_refused_at_the_alias_that_passes_a_million_values()
    {
        // The image line and a0..a5 hold 672,612 values; the first *a5 of a6 adds 597,871 more.
        var e = Assert.Throws<LayerBuildException>(() => RecipeParser.Parse(Image + Laughs(9), File, "/recipes"))!;

        var d = e.Diagnostics.Single();
        Assert.That((d.Code.Id, d.Position.Line, d.Position.Column), Is.EqualTo(("LB1033", 8, 10)), d.ToString());
        Assert.That(d.Message, Does.Contain("1,000,000"));
    }

    [Test]
    public void Aliases_of_a_large_text_are_refused_past_64_mebicharacters()
    {
        var yaml = Image + "x: &big \"" + new string('x', 1 << 20) + "\"\ntags: [" + string.Join(", ", Enumerable.Repeat("*big", 70)) + "]\n";

        var e = Assert.Throws<LayerBuildException>(() => RecipeParser.Parse(yaml, File, "/recipes"))!;

        var d = e.Diagnostics.Single();
        Assert.That((d.Code.Id, d.Position.Line), Is.EqualTo(("LB1033", 3)), d.ToString());
        Assert.That(d.Message, Does.Contain("64 Mi characters"));
    }

    [Test]
    public void Arg_references_that_expand_past_64_mebicharacters_are_refused()
    {
        var yaml = Image + "args: { A: \"" + new string('x', 1 << 20) + "\" }\ntags: [\"" + string.Concat(Enumerable.Repeat("${A}", 70)) + "\"]\n";

        var e = Assert.Throws<LayerBuildException>(() => RecipeParser.Parse(yaml, File, "/recipes"))!;

        // The tag is then left unexpanded, so it is also no valid tag; the limit is said once.
        var d = e.Diagnostics.Single(d => d.Code.Id == "LB1033");
        Assert.That((d.Position.Line, d.Position.Column), Is.EqualTo((3, 8)), d.ToString());
        Assert.That(d.Message, Does.Contain("${A}").And.Contain("64 Mi characters"));
    }

    [Test]
    public void A_mapping_that_holds_itself_is_refused_at_the_alias()
    {
        var e = Assert.Throws<LayerBuildException>(() => RecipeParser.Parse(Image + "config: &c { labels: *c }\n", File, "/recipes"))!;

        var d = e.Diagnostics.Single();
        Assert.That((d.Code.Id, d.Position.Line, d.Position.Column), Is.EqualTo(("LB1033", 2, 22)), d.ToString());
    }

    [Test]
    public void Block_lists_nested_100000_deep_are_refused_at_the_65th_level()
    {
        var e = Assert.Throws<LayerBuildException>(() =>
            RecipeParser.Parse(Image + "steps:\n" + string.Concat(Enumerable.Repeat("- ", 100_000)) + "x\n", File, "/recipes"))!;

        var d = e.Diagnostics.Single();
        Assert.That((d.Code.Id, d.Position.Line, d.Position.Column), Is.EqualTo(("LB1033", 3, 1 + (2 * 63))), d.ToString());
    }

    [Test]
    public void A_recipe_nested_exactly_64_levels_is_read()
    {
        // The root mapping is level 1, so 63 lists fit below it; their values are wrong, not too deep.
        var e = Assert.Throws<LayerBuildException>(() =>
            RecipeParser.Parse(Image + "tags: " + new string('[', 63) + new string(']', 63) + "\n", File, "/recipes"))!;

        Assert.That(e.Diagnostics.Select(d => d.Code.Id), Has.None.EqualTo("LB1033"));
    }

    [Test]
    public void Aliases_and_anchors_within_the_limits_still_work()
    {
        var recipe = RecipeParser.Parse(
            Image + "tags: &t [\"1.0\"]\nconfig:\n  labels: &l { a: b }\n  annotations: *l\nsteps:\n  - dirs: &d [{ path: /a }]\n  - dirs: *d\n",
            File,
            "/recipes");

        Assert.That(recipe.Config.Annotations, Is.EquivalentTo(new Dictionary<string, string> { ["a"] = "b" }));
        Assert.That(recipe.Steps, Has.Count.EqualTo(2));
    }
}
