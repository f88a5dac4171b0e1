using System.Text;
using LayerBuilder.Diagnostics;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Unit;

/// <summary>
/// How the recipe file becomes text: strict UTF-8 with an optional byte order mark, positions of bad
/// bytes counted in characters as YamlDotNet counts them, symlinks to the recipe followed and checked.
/// </summary>
public sealed class RecipeFileReadingTests
{
    private static Diagnostic SingleError(string file)
    {
        var e = Assert.Throws<LayerBuildException>(() => RecipeParser.ParseFile(file))!;
        Assert.That(e.Diagnostics, Has.Count.EqualTo(1), string.Join("\n", e.Diagnostics));
        return e.Diagnostics[0];
    }

    [Test]
    public void A_byte_order_mark_is_read_and_positions_after_it_are_unchanged()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("layerbuild.yml", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("image: example/bom\nconfig:\n  ports: [\"0\"]\n")]);

        var d = SingleError(file);

        Assert.That((d.Code.Id, d.Position.Line, d.Position.Column), Is.EqualTo(("LB1025", 3, 11)), d.ToString());
    }

    [Test]
    public void A_recipe_with_a_byte_order_mark_builds_the_same_recipe_as_without()
    {
        using var temp = new TempDirectory();
        const string Yaml = "image: example/bom\nconfig:\n  labels: { a: \"é\" }\n";
        var plain = RecipeParser.ParseFile(temp.WriteFile("plain.yml", Yaml));
        var bom = RecipeParser.ParseFile(temp.WriteFile("bom.yml", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Yaml)]));

        Assert.That(bom.Config.Labels, Is.EqualTo(plain.Config.Labels));
        Assert.That(bom.Image.Value, Is.EqualTo(plain.Image.Value));
    }

    [Test]
    public void The_column_of_an_invalid_byte_counts_characters_not_bytes()
    {
        using var temp = new TempDirectory();
        // "é" and "ü" are two bytes each but one column each: 0xFF is the 18th character of line 3.
        var bytes = Encoding.UTF8.GetBytes("image: example/x\nconfig:\n  labels: { é: \"ü").Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("\" }\n")).ToArray();
        var file = temp.WriteFile("layerbuild.yml", bytes);

        var d = SingleError(file);

        Assert.That((d.Code.Id, d.Position.Line, d.Position.Column), Is.EqualTo(("LB1001", 3, 18)), d.ToString());
        Assert.That(d.Message, Does.Contain("0xFF").And.Contain("UTF-8"));
    }

    [Test]
    public void A_multibyte_character_cut_off_at_the_end_is_reported_where_it_starts()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("layerbuild.yml", [.. Encoding.UTF8.GetBytes("image: example/x\ntags: [caf"), 0xC3]);

        var d = SingleError(file);

        Assert.That((d.Code.Id, d.Position.Line, d.Position.Column, d.Message.Contains("0xC3", StringComparison.Ordinal)), Is.EqualTo(("LB1001", 2, 11, true)), d.ToString());
    }

    [TestCase("\r\n")]
    [TestCase("\n")]
    [TestCase("\r")]
    public void A_NUL_is_reported_on_its_line_whatever_the_line_ends(string newline)
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("layerbuild.yml", $"image: example/x{newline}config:{newline}  workdir: /a\0pp{newline}");

        var d = SingleError(file);

        Assert.That((d.Code.Id, d.Position.Line, d.Position.Column), Is.EqualTo(("LB1001", 3, 14)), d.ToString());
        Assert.That(d.Message, Does.Contain("NUL"));
    }

    [Test]
    public void A_symlink_to_a_recipe_is_followed()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("real/layerbuild.yml", "image: example/linked\n");
        var link = temp.Combine("layerbuild.yml");
        File.CreateSymbolicLink(link, "real/layerbuild.yml");

        Assert.That(RecipeParser.ParseFile(link).Image.Value.Familiar, Does.EndWith("example/linked"));
    }

    [Test]
    public void A_symlink_to_a_named_pipe_is_refused_without_opening_it()
    {
        using var temp = new TempDirectory();
        var fifo = HostFifo.Create(temp.Combine("pipe.yml"));
        var link = temp.Combine("layerbuild.yml");
        File.CreateSymbolicLink(link, fifo);

        var d = SingleError(link);

        Assert.That((d.Code.Id, d.Position.File, d.Position.Line, d.Position.Column), Is.EqualTo(("LB2013", link, 1, 1)), d.ToString());
        Assert.That(d.Message, Does.Contain("named pipe"));
    }
}
