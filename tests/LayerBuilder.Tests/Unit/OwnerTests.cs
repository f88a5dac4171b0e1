using LayerBuilder.FileSystem;

namespace LayerBuilder.Tests.Unit;

/// <summary>Owners are numeric uid[:gid] in layers; recipes may also name users and groups of the image.</summary>
public sealed class OwnerTests
{
    [TestCase("1000:1000", 1000, 1000)]
    [TestCase("0:0", 0, 0)]
    [TestCase("1000", 1000, 1000)]
    [TestCase("33:44", 33, 44)]
    [TestCase("2147483647:0", int.MaxValue, 0)]
    public void Numeric_owners_parse_and_a_lone_uid_is_also_the_gid(string text, int uid, int gid)
    {
        Assert.That(Owner.TryParse(text, out var owner), Is.True);
        Assert.That(owner, Is.EqualTo(new Owner(uid, gid)));
        Assert.That(owner.ToString(), Is.EqualTo($"{uid}:{gid}"));
    }

    [TestCase("root")]
    [TestCase("root:root")]
    [TestCase("1000:staff")]
    [TestCase("")]
    [TestCase(":")]
    [TestCase("1000:")]
    [TestCase(":1000")]
    [TestCase("-1:0")]
    [TestCase("+1:0")]
    [TestCase(" 1:0")]
    [TestCase("1:2:3")]
    [TestCase("99999999999")]
    public void Names_signs_blanks_and_malformed_owners_are_refused(string text) =>
        Assert.That(Owner.TryParse(text, out _), Is.False);

    [TestCase("1000:1000", 1000, 1000)]
    [TestCase("1000", 1000, 1000)]
    [TestCase("0:5", 0, 5)]
    public void Numeric_recipe_owners_need_no_lookup(string text, int uid, int gid)
    {
        Assert.That(OwnerSpec.TryParse(text, default, out var spec), Is.True);
        Assert.That(spec.Numeric, Is.EqualTo(new Owner(uid, gid)));
    }

    [TestCase("app", "app", null)]
    [TestCase("app:staff", "app", "staff")]
    [TestCase("1000:staff", "1000", "staff")]
    [TestCase("_svc-1.x", "_svc-1.x", null)]
    public void Named_recipe_owners_are_kept_as_names_to_look_up_in_the_image(string text, string user, string? group)
    {
        Assert.That(OwnerSpec.TryParse(text, default, out var spec), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(spec.Numeric, Is.Null);
            Assert.That(spec.User, Is.EqualTo(user));
            Assert.That(spec.Group, Is.EqualTo(group));
        }
    }

    [TestCase("")]
    [TestCase("1:2:3")]
    [TestCase("-1")]
    [TestCase("root user")]
    [TestCase("app:")]
    [TestCase("1app")]
    [TestCase("99999999999")]
    public void Malformed_recipe_owners_are_refused(string text) =>
        Assert.That(OwnerSpec.TryParse(text, default, out _), Is.False);
}
