using LayerBuilder.FileSystem;

namespace LayerBuilder.Tests.Unit;

/// <summary>Owners are numeric uid[:gid]; names never reach a layer.</summary>
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
}
