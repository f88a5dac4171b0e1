using System.Text.Json.Nodes;
using LayerBuilder.Recipe;
using YamlDotNet.RepresentationModel;

namespace LayerBuilder.Tests.Schema;

/// <summary>
/// Every recipe the parser accepts (the examples, the recipes beside these tests, and any test recipe
/// named layerbuild.yml) also validates against the schema, so an editor never flags a working recipe.
/// </summary>
public sealed class SchemaAcceptsRecipesTests
{
    /// <summary>The args the MSBuild task supplies (README, "MSBuild"), which recipes built by
    /// <c>dotnet publish</c> use without defining them.</summary>
    private static readonly RecipeOptions MSBuildArgs = new()
    {
        Args = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PublishDir"] = "/src/app/bin/Release/net10.0/publish/",
            ["AssemblyName"] = "App",
            ["TargetFileName"] = "App.dll",
            ["Version"] = "1.0.0",
            ["Configuration"] = "Release",
            ["RuntimeIdentifier"] = "linux-x64",
            ["ProjectDir"] = "/src/app/",
        },
    };

    private static IEnumerable<TestCaseData> ValidRecipes()
    {
        var examples = Directory.EnumerateFiles(RepositoryFiles.Combine("examples"), "layerbuild.yml", SearchOption.AllDirectories);
        var own = Directory.EnumerateFiles(RepositoryFiles.Combine("tests", "LayerBuilder.Tests", "Schema", "Recipes"), "*.yml");
        return examples.Concat(own).Order(StringComparer.Ordinal).Select(path =>
            new TestCaseData(path).SetName($"Valid_recipe_validates({Path.GetRelativePath(RepositoryFiles.Root, path)})"));
    }

    /// <summary>Recipe files of other test suites: those the parser accepts must validate too.</summary>
    private static IEnumerable<TestCaseData> OtherTestRecipes() =>
        Directory.EnumerateFiles(RepositoryFiles.Combine("tests"), "layerbuild.yml", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj") && Parses(File.ReadAllText(p), p))
            .Order(StringComparer.Ordinal)
            .Select(path => new TestCaseData(path).SetName($"Test_recipe_validates_when_it_parses({Path.GetRelativePath(RepositoryFiles.Root, path)})"));

    /// <summary>
    /// Recipes written inline in the test sources as C# raw strings (<c>"""</c> blocks with an
    /// <c>image:</c> line); those the parser accepts must validate too, so the schema follows every
    /// form the other suites rely on.
    /// </summary>
    private static IEnumerable<TestCaseData> InlineTestRecipes() =>
        Directory.EnumerateFiles(RepositoryFiles.Combine("tests"), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .SelectMany(path => RawStrings(File.ReadAllText(path)).Select((yaml, i) => (path, yaml, i)))
            .Where(r => r.yaml.Split('\n').Any(line => line.StartsWith("image:", StringComparison.Ordinal)) && Parses(r.yaml, r.path))
            .Select(r => new TestCaseData(r.yaml).SetName($"Inline_test_recipe_validates_when_it_parses({Path.GetRelativePath(RepositoryFiles.Root, r.path)}#{r.i + 1})"));

    /// <summary>
    /// The sources above keep only recipes the parser accepts, so a parser regression would remove cases
    /// instead of failing them. These minimums (the counts when they were last raised) turn a lost case
    /// into a failure; raise them when recipes are added.
    /// </summary>
    [TestCase(nameof(ValidRecipes), 7)]
    [TestCase(nameof(OtherTestRecipes), 1)]
    [TestCase(nameof(InlineTestRecipes), 24)]
    public void A_recipe_source_yields_at_least_its_known_cases(string source, int minimum)
    {
        var cases = source switch
        {
            nameof(ValidRecipes) => ValidRecipes(),
            nameof(OtherTestRecipes) => OtherTestRecipes(),
            _ => InlineTestRecipes(),
        };

        Assert.That(cases.Select(c => c.TestName).ToList(), Has.Count.GreaterThanOrEqualTo(minimum), "recipes that parsed before no longer do, or were removed");
    }

    [TestCaseSource(nameof(InlineTestRecipes))]
    public void Inline_test_recipe_validates_when_it_parses(string yaml) =>
        Assert.That(RecipeSchema.Errors(yaml), Is.Empty, yaml);

    /// <summary>The contents of C# raw string literals, with the indentation of their closing line removed.</summary>
    private static IEnumerable<string> RawStrings(string source)
    {
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(source, "\"\"\"[ \t]*\n(?<body>.*?)\n(?<indent>[ \t]*)\"\"\"", System.Text.RegularExpressions.RegexOptions.Singleline))
        {
            var indent = m.Groups["indent"].Value;
            yield return string.Join('\n', m.Groups["body"].Value.Split('\n').Select(line => line.StartsWith(indent, StringComparison.Ordinal) ? line[indent.Length..] : line.TrimStart())) + "\n";
        }
    }

    [TestCaseSource(nameof(ValidRecipes))]
    public void Valid_recipe_validates(string path)
    {
        var yaml = File.ReadAllText(path);
        Assert.DoesNotThrow(() => RecipeParser.Parse(yaml, path, Path.GetDirectoryName(path)!, MSBuildArgs), "the parser must accept this recipe");

        Assert.That(RecipeSchema.Errors(yaml), Is.Empty);
    }

    [TestCaseSource(nameof(OtherTestRecipes))]
    public void Test_recipe_validates_when_it_parses(string path) =>
        Assert.That(RecipeSchema.Errors(File.ReadAllText(path)), Is.Empty);

    /// <summary>Whether the parser accepts a recipe; deliberately invalid ones are not the schema's concern here.</summary>
    private static bool Parses(string yaml, string path)
    {
        try
        {
            RecipeParser.Parse(yaml, path, Path.GetDirectoryName(Path.GetFullPath(path))!, MSBuildArgs);
            return true;
        }
        catch (LayerBuilder.Diagnostics.LayerBuildException)
        {
            return false;
        }
    }

    [Test]
    public void The_recipes_beside_these_tests_use_every_key_of_every_mapping()
    {
        // Together, not each: one recipe has one kind of base.
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(Path.GetDirectoryName(EveryKeyRecipe)!, "*.yml"))
        {
            var yaml = new YamlStream();
            yaml.Load(new StringReader(File.ReadAllText(path)));
            Collect(yaml.Documents[0].RootNode, nameof(RecipeKeys.Root), used);
        }

        var known = typeof(RecipeKeys).GetFields()
            .SelectMany(f => ((string[])f.GetValue(null)!).Select(key => $"{f.Name}.{key}"))
            .ToList();
        Assert.That(known.Except(used), Is.Empty, "keys no recipe in Schema/Recipes uses yet");
    }

    private static IEnumerable<TestCaseData> MisspeltKeyPlaces()
    {
        yield return new TestCaseData("").SetName("Schema_refuses_an_unknown_key(root)");
        yield return new TestCaseData("/base").SetName("Schema_refuses_an_unknown_key(base)");
        yield return new TestCaseData("/defaults").SetName("Schema_refuses_an_unknown_key(defaults)");
        yield return new TestCaseData("/config").SetName("Schema_refuses_an_unknown_key(config)");
        yield return new TestCaseData("/config/healthcheck").SetName("Schema_refuses_an_unknown_key(healthcheck)");
        yield return new TestCaseData("/steps/0").SetName("Schema_refuses_an_unknown_key(step)");
        yield return new TestCaseData("/steps/0/copy/0").SetName("Schema_refuses_an_unknown_key(copy)");
        yield return new TestCaseData("/steps/0/files/0").SetName("Schema_refuses_an_unknown_key(files)");
        yield return new TestCaseData("/steps/0/dirs/0").SetName("Schema_refuses_an_unknown_key(dirs)");
        yield return new TestCaseData("/steps/0/symlinks/0").SetName("Schema_refuses_an_unknown_key(symlinks)");
        yield return new TestCaseData("/steps/0/hardlinks/0").SetName("Schema_refuses_an_unknown_key(hardlinks)");
        yield return new TestCaseData("/steps/0/extract/0").SetName("Schema_refuses_an_unknown_key(extract)");
    }

    [TestCaseSource(nameof(MisspeltKeyPlaces))]
    public void Schema_refuses_an_unknown_key(string pointer)
    {
        var recipe = EveryKey();
        At(recipe, pointer)["bogus"] = "1";

        Assert.That(RecipeSchema.Errors(recipe), Is.Not.Empty);
    }

    [TestCase("/steps/0/files/0", "mode", "0999")]
    [TestCase("/steps/0/dirs/0", "mode", "rwx")]
    [TestCase("/steps/0/dirs/0", "owner", "root:wheel:staff")]
    [TestCase("/steps/0/files/0", "path", "etc/hello.conf")]
    [TestCase("", "image", "Example/Hello")]
    [TestCase("", "image", "example/hello:1.0")]
    [TestCase("", "platform", "linux")]
    [TestCase("", "created", "yesterday")]
    [TestCase("/config", "stopSignal", "SIGFOO")]
    [TestCase("/config/healthcheck", "interval", "30 seconds")]
    [TestCase("/config/healthcheck", "retries", "three")]
    [TestCase("/steps/0/copy/1", "preserveMode", "yes")]
    [TestCase("/steps/0/copy/0", "dest", "app/")]
    [TestCase("", "base", "Debian:12")]
    [TestCase("", "base", "debian@sha256:abc")]
    public void Schema_refuses_a_bad_value(string pointer, string key, string value)
    {
        var recipe = EveryKey();
        At(recipe, pointer)[key] = value;

        Assert.That(RecipeSchema.Errors(recipe), Is.Not.Empty);
    }

    [Test]
    public void Schema_refuses_a_file_with_both_content_and_base64_or_neither()
    {
        var both = EveryKey();
        At(both, "/steps/0/files/0")["base64"] = "AAAA";
        var neither = EveryKey();
        At(neither, "/steps/0/files/0").Remove("content");

        Assert.That(RecipeSchema.Errors(both), Is.Not.Empty);
        Assert.That(RecipeSchema.Errors(neither), Is.Not.Empty);
    }

    [Test]
    public void Schema_refuses_a_base_of_two_kinds_and_a_ref_for_a_rootfs()
    {
        var twoKinds = EveryKey();
        At(twoKinds, "/base")["rootfs"] = "rootfs.tar";
        var rootfsWithRef = EveryKey();
        rootfsWithRef["base"] = new JsonObject { ["rootfs"] = "rootfs.tar", ["ref"] = "x:1" };

        Assert.That(RecipeSchema.Errors(twoKinds), Is.Not.Empty);
        Assert.That(RecipeSchema.Errors(rootfsWithRef), Is.Not.Empty);
    }

    [Test]
    public void Schema_refuses_a_port_out_of_range_and_a_healthcheck_test_of_the_wrong_kind()
    {
        var port = EveryKey();
        At(port, "/config")["ports"] = new JsonArray("70000/tcp");
        var test = EveryKey();
        At(test, "/config/healthcheck")["test"] = new JsonArray("RUN", "x");

        Assert.That(RecipeSchema.Errors(port), Is.Not.Empty);
        Assert.That(RecipeSchema.Errors(test), Is.Not.Empty);
    }

    private static string EveryKeyRecipe => RepositoryFiles.Combine("tests", "LayerBuilder.Tests", "Schema", "Recipes", "every-key.yml");

    private static JsonObject EveryKey() => (JsonObject)YamlToJson.Convert(File.ReadAllText(EveryKeyRecipe))!;

    private static JsonObject At(JsonObject root, string pointer)
    {
        JsonNode node = root;
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node is JsonArray array ? array[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)]! : node[part]!;
        }

        return node.AsObject();
    }

    /// <summary>Records "Mapping.key" for every key, following the recipe's structure into nested mappings.</summary>
    private static void Collect(YamlNode node, string mapping, HashSet<string> used)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    var name = ((YamlScalarNode)key).Value!;
                    used.Add($"{mapping}.{name}");
                    if (Nested(mapping, name) is { } inner)
                    {
                        Collect(value, inner, used);
                    }
                }

                break;
            case YamlSequenceNode seq:
                foreach (var item in seq.Children)
                {
                    Collect(item, mapping, used);
                }

                break;
        }
    }

    private static string? Nested(string mapping, string key) => (mapping, key) switch
    {
        (nameof(RecipeKeys.Root), "base") => nameof(RecipeKeys.Base),
        (nameof(RecipeKeys.Root), "defaults") => nameof(RecipeKeys.Defaults),
        (nameof(RecipeKeys.Root), "config") => nameof(RecipeKeys.Config),
        (nameof(RecipeKeys.Root), "steps") => nameof(RecipeKeys.Step),
        (nameof(RecipeKeys.Config), "healthcheck") => nameof(RecipeKeys.Healthcheck),
        (nameof(RecipeKeys.Step), "copy") => nameof(RecipeKeys.Copy),
        (nameof(RecipeKeys.Step), "files") => nameof(RecipeKeys.File),
        (nameof(RecipeKeys.Step), "dirs") => nameof(RecipeKeys.Dir),
        (nameof(RecipeKeys.Step), "symlinks") => nameof(RecipeKeys.Symlink),
        (nameof(RecipeKeys.Step), "hardlinks") => nameof(RecipeKeys.Hardlink),
        (nameof(RecipeKeys.Step), "users") => nameof(RecipeKeys.User),
        (nameof(RecipeKeys.Step), "extract") => nameof(RecipeKeys.Extract),
        (nameof(RecipeKeys.Step), "nodes") => nameof(RecipeKeys.Node),
        (nameof(RecipeKeys.Root), "checks") => nameof(RecipeKeys.Check),
        (nameof(RecipeKeys.Check), "config") => nameof(RecipeKeys.ConfigCheck),
        _ => null,
    };
}
