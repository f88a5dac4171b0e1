using LayerBuilder.Recipe;

namespace LayerBuilder.Tests.Unit;

/// <summary>Host paths in a recipe: relative to the recipe's folder, absolute as given, <c>~/</c> the home folder.</summary>
public sealed class HostPathResolutionTests
{
    private static string RootfsOf(string value)
    {
        var recipe = RecipeParser.Parse($"image: t\nbase: {{ rootfs: \"{value}\" }}\n", "layerbuild.yml", "/recipes/app");
        return ((RootfsBase)recipe.Base).HostPath;
    }

    [Test]
    public void A_relative_path_is_relative_to_the_recipe_folder() =>
        Assert.That(RootfsOf("base/rootfs.tar"), Is.EqualTo("/recipes/app/base/rootfs.tar"));

    [Test]
    public void An_absolute_path_is_kept() =>
        Assert.That(RootfsOf("/srv/rootfs.tar"), Is.EqualTo("/srv/rootfs.tar"));

    [Test]
    public void A_leading_tilde_means_the_home_folder() =>
        Assert.That(RootfsOf("~/images/rootfs.tar"), Is.EqualTo(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "images", "rootfs.tar")));

    [Test]
    public void A_tilde_inside_a_name_is_an_ordinary_character() =>
        Assert.That(RootfsOf("a~/b.tar"), Is.EqualTo("/recipes/app/a~/b.tar"));
}
