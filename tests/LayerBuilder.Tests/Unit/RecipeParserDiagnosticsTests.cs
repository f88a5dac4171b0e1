using LayerBuilder.Diagnostics;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Unit;

/// <summary>
/// Every recipe error carries a stable code and the file, line and column of the offending value, and
/// one run reports all of them.
/// </summary>
public sealed class RecipeParserDiagnosticsTests
{
    private static IReadOnlyList<Diagnostic> Errors(string yaml)
    {
        var e = Assert.Throws<LayerBuildException>(() => RecipeParser.Parse(yaml, "app/layerbuild.yml", "/recipes"))!;
        Assert.That(e.Diagnostics.Select(d => d.Position.File), Has.All.EqualTo("app/layerbuild.yml"));
        return e.Diagnostics;
    }

    private static Diagnostic Single(string yaml)
    {
        var errors = Errors(yaml);
        Assert.That(errors, Has.Count.EqualTo(1), string.Join("\n", errors));
        return errors[0];
    }

    /// <summary>The error with this code, for recipes where one mistake also causes a follow-up error.</summary>
    private static Diagnostic Find(string yaml, string id)
    {
        var errors = Errors(yaml);
        var found = errors.FirstOrDefault(d => d.Code.Id == id);
        Assert.That(found, Is.Not.Null, $"no {id} among:\n{string.Join("\n", errors)}");
        return found!;
    }

    private static void AssertAt(Diagnostic d, string id, int line, int column)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(d.Code.Id, Is.EqualTo(id), d.ToString());
            Assert.That(d.Severity, Is.EqualTo(Severity.Error));
            Assert.That(d.Position.Line, Is.EqualTo(line), d.ToString());
            Assert.That(d.Position.Column, Is.EqualTo(column), d.ToString());
        }
    }

    [Test]
    public void An_unknown_top_level_key_suggests_the_nearest_known_one()
    {
        var d = Find("imgae: hello\n", "LB1003");

        AssertAt(d, "LB1003", 1, 1);
        Assert.That(d.Message, Does.Contain("'imgae'").And.Contain("did you mean 'image'?"));
    }

    [Test]
    public void An_unknown_key_in_a_step_suggests_the_nearest_step_key()
    {
        var d = Find("""
            image: hello
            steps:
              - name: one
                coppy:
                  - { src: a, dest: /a }
            """, "LB1003");

        AssertAt(d, "LB1003", 4, 5);
        Assert.That(d.Message, Does.Contain("did you mean 'copy'?"));
    }

    [Test]
    public void An_unknown_key_far_from_every_known_one_lists_the_known_keys()
    {
        var d = Single("image: hello\nconfig:\n  zzzzzzzzzzzz: 1\n");

        AssertAt(d, "LB1003", 3, 3);
        Assert.That(d.Message, Does.Contain("known keys are:").And.Contain("entrypoint"));
    }

    [TestCase("image: hello\ntags: { a: b }\n", 2, 7, "must be a list")]
    [TestCase("image: hello\nsteps: do it\n", 2, 8, "must be a list")]
    [TestCase("image: hello\nconfig: [1, 2]\n", 2, 9, "must be a mapping")]
    [TestCase("image: [a, b]\n", 1, 8, "must be a single value")]
    [TestCase("image: hello\nsteps:\n  - copy:\n      - { src: a, dest: /a, preserveMode: maybe }\n", 4, 43, "true or false")]
    public void Values_of_the_wrong_type_are_reported_where_they_are(string yaml, int line, int column, string message)
    {
        var d = Find(yaml, "LB1004");

        AssertAt(d, "LB1004", line, column);
        Assert.That(d.Message, Does.Contain(message));
    }

    [Test]
    public void A_mode_with_a_non_octal_digit_is_refused_at_its_value()
    {
        var d = Single("""
            image: hello
            steps:
              - files:
                  - path: /etc/x
                    content: x
                    mode: "0999"
            """);

        AssertAt(d, "LB1020", 6, 15);
        Assert.That(d.Message, Does.Contain("'0999'"));
    }

    [TestCase("\"1:2:3\"")]
    [TestCase("\"-1\"")]
    [TestCase("\"root user\"")]
    [TestCase("\"1000:\"")]
    public void A_malformed_owner_is_refused_at_its_value(string owner)
    {
        var d = Single($"image: hello\ndefaults:\n  owner: {owner}\n");

        AssertAt(d, "LB1021", 3, 10);
    }

    [Test]
    public void A_relative_image_path_is_refused()
    {
        var d = Single("image: hello\nsteps:\n  - dirs:\n      - { path: data }\n");

        AssertAt(d, "LB1022", 4, 17);
        Assert.That(d.Message, Does.Contain("not absolute"));
    }

    [TestCase("image: hello\nsteps:\n  - dirs:\n      - { path: /../data }\n", 4, 17)]
    [TestCase("image: hello\nsteps:\n  - copy:\n      - { src: a, dest: /app/../../x }\n", 4, 25)]
    [TestCase("image: hello\nsteps:\n  - remove: [/a/../../b]\n", 3, 14)]
    public void A_dotdot_that_climbs_above_the_root_is_refused(string yaml, int line, int column)
    {
        var d = Single(yaml);

        AssertAt(d, "LB1023", line, column);
        Assert.That(d.Message, Does.Contain("climbs above"));
    }

    [Test]
    public void An_unknown_arg_is_an_error_at_the_value_using_it()
    {
        var d = Find("image: hello\nargs: { VERSION: \"1\" }\ntags: [\"${VERSOIN}\"]\n", "LB1014");

        AssertAt(d, "LB1014", 3, 8);
        Assert.That(d.Message, Does.Contain("${VERSOIN}").And.Contain("VERSION"));
    }

    [Test]
    public void A_yaml_syntax_error_is_reported_with_its_position()
    {
        var d = Single("image: hello\ntags: [a, b\n");

        AssertAt(d, "LB1001", 3, 1);
        Assert.That(d.Message, Does.StartWith("YAML syntax error"));
    }

    [TestCase("image: hello\nconfig:\n  env:\n    A: \"1\"\n   B: \"2\"\n", 5, 4, "line 5 is indented 3 spaces, which lines up with no key or list item above it (they are at 0, 2 or 4 spaces)")]
    [TestCase("image: hello\nsteps:\n- name: a\n  copy:\n  - src: a\n   dest: /a\n", 6, 4, "line 6 is indented 3 spaces, which lines up with no key or list item above it (they are at 0, 2 or 4 spaces)")]
    [TestCase("image: hello\nsteps:\n  - name: app\n     dirs: [{ path: /app }]\n", 4, 6, "'dirs:' on line 4 is indented 5 spaces, more than 'name:' on line 3 (4 spaces), so YAML reads it as part of the value of 'name'; to put it beside 'name', indent it 4 spaces")]
    [TestCase("image: hello\n  tags: [a]\n", 2, 3, "'tags:' on line 2 is indented 2 spaces, more than 'image:' on line 1 (0 spaces)")]
    [TestCase("image: hello\nconfig:\n  workdir: /app: x\n", 3, 16, "the value on line 3 holds ': ', which YAML reads as a second key; put the value in quotes")]
    [TestCase(" image: hello\ntags: [a]\n", 2, 1, "the recipe's first line (line 1) is indented 1 space, line 2 less")]
    public void A_bad_indentation_is_told_in_plain_words_at_the_line_that_is_off(string yaml, int line, int column, string words)
    {
        var d = Single(yaml);

        AssertAt(d, "LB1001", line, column);
        Assert.That(d.Message, Does.StartWith("YAML syntax error: " + words));
        Assert.That(d.Message, Does.Not.Contain("While parsing").And.Not.Contain("While scanning"), "YamlDotNet's own words are replaced");
    }

    [Test]
    public void One_diagnostic_per_position_the_cause_not_what_follows_from_it()
    {
        // An unknown arg leaves "${Z}" in the mode and "${X}" in the path: each is also not an octal mode,
        // not absolute. Only the cause is reported at each place.
        var errors = Errors("image: hello\nsteps:\n  - dirs: [{ path: \"${X}/a\", mode: \"${Z}\" }]\n");

        Assert.That(errors.Select(e => (e.Code.Id, e.Position.Line, e.Position.Column)), Is.EqualTo(new[] { ("LB1014", 3, 20), ("LB1014", 3, 36) }), string.Join("\n", errors));
    }

    [Test]
    public void An_unclosed_flow_list_before_another_key_is_a_syntax_error_not_a_crash()
    {
        // YamlDotNet throws InvalidOperationException here rather than a YamlException.
        var d = Single("image: hello\ntags: [a, b\nplatform: linux/amd64\n");

        AssertAt(d, "LB1001", 2, 8);
        Assert.That(d.Message, Does.StartWith("YAML syntax error"));
    }

    [TestCase("")]
    [TestCase("   \n")]
    [TestCase("# only a comment\n")]
    public void An_empty_recipe_is_reported(string yaml) =>
        AssertAt(Single(yaml), "LB1002", 1, 1);

    [Test]
    public void An_empty_recipe_file_is_reported_with_its_path()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("layerbuild.yml", "");

        var e = Assert.Throws<LayerBuildException>(() => RecipeParser.ParseFile(file))!;

        Assert.That(e.Diagnostics.Single().Code.Id, Is.EqualTo("LB1002"));
        Assert.That(e.Diagnostics.Single().Position.File, Is.EqualTo(file));
    }

    [Test]
    public void A_folder_given_as_the_recipe_is_refused_with_a_hint_to_the_file()
    {
        using var temp = new TempDirectory();

        var e = Assert.Throws<LayerBuildException>(() => RecipeParser.ParseFile(temp.Path))!;

        Assert.That(e.Diagnostics.Single().Code.Id, Is.EqualTo("LB2013"));
        Assert.That(e.Diagnostics.Single().Message, Does.Contain("is a folder").And.Contain("layerbuild.yml"));
    }

    [Test]
    public void A_missing_image_is_reported()
    {
        var d = Single("tags: [latest]\n");

        Assert.That(d.Code.Id, Is.EqualTo("LB1005"));
        Assert.That(d.Message, Does.Contain("image"));
    }

    [Test]
    public void Every_error_of_a_recipe_is_reported_in_one_run_sorted_by_position()
    {
        var errors = Errors("""
            image: Hello
            tags: ["${NOPE}"]
            platfrom: linux/amd64
            created: yesterday
            defaults:
              owner: "1:2:3"
            config:
              ports: ["99999"]
              healthcheck: { test: ["CMD", "x"], interval: soon }
            steps:
              - files:
                  - { path: etc/x, content: x, mode: "0999" }
              - dirs:
                  - { path: /../y }
            """);

        var seen = errors.Select(d => (d.Code.Id, d.Position.Line, d.Position.Column)).ToList();
        Assert.That(seen, Is.EqualTo(new[]
        {
            ("LB1010", 1, 8),
            ("LB1014", 2, 8),
            ("LB1003", 3, 1),
            ("LB1013", 4, 10),
            ("LB1021", 6, 10),
            ("LB1025", 8, 11),
            ("LB1027", 9, 48),
            ("LB1022", 12, 17),
            ("LB1020", 12, 42),
            ("LB1023", 14, 17),
        }), string.Join("\n", errors));
        Assert.That(errors.Select(d => d.ToCliString()), Has.All.StartWith("app/layerbuild.yml:"));
    }
}
