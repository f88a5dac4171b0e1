using LayerBuilder.FileSystem;

namespace LayerBuilder.Tests.Unit;

/// <summary>Image paths are absolute, normalized, and can never climb above the image root.</summary>
public sealed class ImagePathNormalizationTests
{
    [TestCase("/a/./b/../c", "/a/c")]
    [TestCase("/a//b/", "/a/b")]
    [TestCase("/a/b/..", "/a")]
    [TestCase("/a/..", "/")]
    [TestCase("/./", "/")]
    [TestCase("//", "/")]
    [TestCase("/usr/lib/x", "/usr/lib/x")]
    public void Dot_segments_and_empty_components_are_resolved(string text, string expected)
    {
        Assert.That(ImagePath.TryParse(text, out var path, out var problem), Is.True, problem);
        Assert.That(path.Value, Is.EqualTo(expected));
    }

    [TestCase("/../x")]
    [TestCase("/a/../../x")]
    [TestCase("/..")]
    public void A_dotdot_that_climbs_above_the_root_is_refused_not_clamped(string text)
    {
        Assert.That(ImagePath.TryParse(text, out _, out var problem), Is.False);
        Assert.That(problem, Does.Contain("climbs above"));
        Assert.That(() => ImagePath.Parse(text), Throws.TypeOf<FormatException>());
    }

    [TestCase("a/b")]
    [TestCase("./a")]
    [TestCase("")]
    [TestCase("../x")]
    public void Relative_paths_are_refused(string text)
    {
        Assert.That(ImagePath.TryParse(text, out _, out var problem), Is.False);
        Assert.That(problem, Does.Contain("not absolute"));
    }

    [Test]
    public void A_nul_character_is_refused()
    {
        Assert.That(ImagePath.TryParse("/a\0b", out _, out var problem), Is.False);
        Assert.That(problem, Does.Contain("NUL"));
    }

    [Test]
    public void The_root_is_its_own_parent_and_has_no_name_components_or_tar_name()
    {
        var root = ImagePath.Parse("/");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.IsRoot, Is.True);
            Assert.That(root, Is.EqualTo(ImagePath.Root));
            Assert.That(root.Parent, Is.EqualTo(ImagePath.Root));
            Assert.That(root.Name, Is.Empty);
            Assert.That(root.TarName, Is.Empty);
            Assert.That(root.Components(), Is.Empty);
            Assert.That(root.Ancestors(), Is.Empty);
        }
    }

    [TestCase("/usr/lib/x", "usr/lib/x")]
    [TestCase("/a", "a")]
    [TestCase("/a/./b/", "a/b")]
    public void TarName_is_relative_without_a_leading_slash(string text, string expected) =>
        Assert.That(ImagePath.Parse(text).TarName, Is.EqualTo(expected));

    [Test]
    public void Parent_name_and_ancestors_follow_the_components()
    {
        var path = ImagePath.Parse("/usr/lib/x");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(path.Name, Is.EqualTo("x"));
            Assert.That(path.Parent.Value, Is.EqualTo("/usr/lib"));
            Assert.That(path.Parent.Parent.Parent, Is.EqualTo(ImagePath.Root));
            Assert.That(path.Ancestors().Select(a => a.Value), Is.EqualTo(new[] { "/usr", "/usr/lib" }));
            Assert.That(path.Components(), Is.EqualTo(new[] { "usr", "lib", "x" }));
        }
    }

    [Test]
    public void Combine_refuses_a_relative_part_that_leaves_the_base()
    {
        var app = ImagePath.Parse("/app");
        Assert.That(app.Combine("bin/../x").Value, Is.EqualTo("/app/x"));
        Assert.That(() => app.Combine("../etc/passwd"), Throws.ArgumentException);
    }

    [TestCase("/app", "bin/x")]
    [TestCase("/", "etc/hosts")]
    [TestCase("/app", "bin/../x")]
    [TestCase("/app", "./x/")]
    [TestCase("/app", "a//b")]
    public void Combine_with_a_part_of_a_longer_text_is_combine_with_that_part(string folder, string relative)
    {
        var within = "/host/src/" + relative;
        Assert.That(ImagePath.Parse(folder).Combine(within.AsSpan("/host/src/".Length)), Is.EqualTo(ImagePath.Parse(folder).Combine(relative)));
    }

    [Test]
    public void Combine_with_a_part_of_a_longer_text_refuses_what_combine_refuses()
    {
        Assert.That(() => ImagePath.Parse("/app").Combine("/host/../etc".AsSpan(6)), Throws.ArgumentException);
    }

    [Test]
    public void A_sibling_with_a_common_prefix_is_not_under_a_folder()
    {
        var a = ImagePath.Parse("/a");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ImagePath.Parse("/a/b").IsSameOrUnder(a), Is.True);
            Assert.That(a.IsSameOrUnder(a), Is.True);
            Assert.That(ImagePath.Parse("/ab").IsSameOrUnder(a), Is.False);
            Assert.That(ImagePath.Parse("/ab").IsSameOrUnder(ImagePath.Root), Is.True);
        }
    }
}
