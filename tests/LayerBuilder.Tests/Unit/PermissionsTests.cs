using LayerBuilder.FileSystem;

namespace LayerBuilder.Tests.Unit;

/// <summary>Recipe modes are chmod-style octal; host files keep only their owner-executable bit.</summary>
public sealed class PermissionsTests
{
    [TestCase("0755", 0x1ED)]
    [TestCase("755", 0x1ED)]
    [TestCase("0644", 0x1A4)]
    [TestCase("4755", 0x9ED)]
    [TestCase("1777", 0x3FF)]
    [TestCase("07777", 0xFFF)]
    [TestCase("000", 0)]
    public void Octal_modes_of_three_to_five_digits_parse(string text, int expected)
    {
        Assert.That(Permissions.TryParseOctal(text, out var mode), Is.True);
        Assert.That(mode, Is.EqualTo(expected), $"0{Convert.ToString(mode, 8)}");
    }

    [TestCase("0999")]
    [TestCase("rwx")]
    [TestCase("rwxr-xr-x")]
    [TestCase("75")]
    [TestCase("077777")]
    [TestCase("17777")]
    [TestCase("")]
    [TestCase("-755")]
    [TestCase("0x1ED")]
    public void Non_octal_short_long_or_too_large_modes_are_refused(string text) =>
        Assert.That(Permissions.TryParseOctal(text, out _), Is.False);

    [TestCase(0x1ED, 0x1ED)] // 0755
    [TestCase(0x1C0, 0x1ED)] // 0700: owner may execute -> 0755
    [TestCase(0x040, 0x1ED)] // 0100
    [TestCase(0x9ED, 0x1ED)] // 04755: setuid is not kept
    [TestCase(0x1A4, 0x1A4)] // 0644
    [TestCase(0x180, 0x1A4)] // 0600 (a umask 077 checkout) -> 0644
    [TestCase(0x1FF & ~0x040, 0x1A4)] // 0737: group and others may execute, the owner not -> 0644
    [TestCase(0x009, 0x1A4)] // 0011
    public void Host_files_keep_only_whether_the_owner_may_execute(int hostMode, int expected) =>
        Assert.That(Permissions.FromHostFile(hostMode), Is.EqualTo(expected));
}
