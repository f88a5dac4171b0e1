using System.Reflection;
using LayerBuilder.Recipe;

namespace LayerBuilder.Tests.Schema;

/// <summary>docs/recipe.md is the reference of every key: none may be missing from it.</summary>
public sealed class ReferenceDocTests
{
    [Test]
    public void Every_recipe_key_is_in_the_reference()
    {
        var text = File.ReadAllText(RepositoryFiles.Combine("docs", "recipe.md"));
        var keys = typeof(RecipeKeys).GetFields(BindingFlags.Public | BindingFlags.Static)
            .SelectMany(f => (string[])f.GetValue(null)!)
            .Distinct(StringComparer.Ordinal);

        Assert.That(keys.Where(key => !text.Contains($"`{key}`", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void The_reference_points_at_the_schema_and_the_schema_at_the_reference()
    {
        var text = File.ReadAllText(RepositoryFiles.Combine("docs", "recipe.md"));

        Assert.That(text, Does.Contain("dotnet layerbuild schema").And.Contain("schema/layerbuild.schema.json"));
        Assert.That(RecipeSchema.Document["description"]!.GetValue<string>(), Does.Contain("docs/recipe.md"));
    }
}
