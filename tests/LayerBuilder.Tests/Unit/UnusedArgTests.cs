using LayerBuilder.Diagnostics;
using LayerBuilder.Recipe;

namespace LayerBuilder.Tests.Unit;

/// <summary>An arg the front end gives that no <c>${NAME}</c> of the recipe uses is a warning (LB1067), as
/// Docker warns about an unused build arg; args the front end marks as quiet, and the recipe's own, are not.</summary>
public sealed class UnusedArgTests
{
    private const string Recipe = """
        image: example/args
        args: { OWN: "declared here" }
        config:
          env: { USED: "${USED}" }

        """;

    [Test]
    public void An_arg_no_reference_uses_is_one_warning_naming_it()
    {
        var recipe = RecipeParser.Parse(Recipe, "layerbuild.yml", "/recipes",
            new RecipeOptions { Args = new Dictionary<string, string> { ["USED"] = "1", ["TYPO"] = "2" } });

        Assert.That(recipe.Warnings.Select(w => (w.Code.Id, w.Severity, w.Position.File)), Is.EqualTo(new[] { ("LB1067", Severity.Warning, "--arg") }));
        Assert.That(recipe.Warnings[0].Message, Does.StartWith("arg 'TYPO' is given but the recipe never uses ${TYPO}"));
    }

    [Test]
    public void Quiet_args_and_the_recipes_own_args_are_not_warned_about()
    {
        var recipe = RecipeParser.Parse(Recipe, "layerbuild.yml", "/recipes", new RecipeOptions
        {
            Args = new Dictionary<string, string> { ["USED"] = "1", ["PublishDir"] = "/p/" },
            QuietArgs = new HashSet<string> { "PublishDir" },
        });

        Assert.That(recipe.Warnings, Is.Empty);
    }
}
