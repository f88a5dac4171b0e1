using LayerBuilder.FileSystem;

namespace LayerBuilder.Tests.Unit;

/// <summary>
/// The walk's per-folder name buffer (<see cref="MemberNames"/>): whatever the names, their lengths and
/// how many, it gives them back as added and orders them as the ordinal sort of the full paths did.
/// </summary>
public sealed class MemberNamesTests
{
    private static readonly string[] Pieces = ["a", "B", "-", "0", "~", "é", "\uD83D\uDE00", "\uFFFD", ".", "ﬀ", "\u0001"];

    [TestCase(1, 5)]
    [TestCase(2, 300)]
    [TestCase(3, 1000)]
    public void Names_come_back_as_added_and_sort_as_the_folders_full_paths_did(int seed, int count)
    {
        var random = new Random(seed);
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (names.Count < count)
        {
            names.Add(string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => Pieces[random.Next(Pieces.Length)])));
        }

        var added = names.ToList();
        var members = new MemberNames();
        foreach (var name in added)
        {
            members.Add(name);
        }

        const string folder = "/some/host/folder";
        var expected = added.Select(n => folder + "/" + n).Order(StringComparer.Ordinal).Select(p => p[(folder.Length + 1)..]).ToList();
        var sorted = members.Sorted().ToArray().Select(m => members.Name(m).ToString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(members.Count, Is.EqualTo(count));
            Assert.That(Enumerable.Range(0, count).Select(m => members.Name(m).ToString()), Is.EqualTo(added));
            Assert.That(members.TotalChars, Is.EqualTo(added.Sum(n => n.Length)));
            Assert.That(sorted, Is.EqualTo(expected));
        });
    }

    [Test]
    public void A_name_longer_than_the_buffer_and_a_cleared_buffer_reused_for_the_next_folder()
    {
        var members = new MemberNames();
        var longName = new string('x', 10_000);
        members.Add("b");
        members.Add(longName);
        members.Add("a");
        Assert.That(members.Sorted().ToArray().Select(m => members.Name(m).ToString()), Is.EqualTo(new[] { "a", "b", longName }));

        members.Clear();
        Assert.That(members.Count, Is.Zero);
        Assert.That(members.TotalChars, Is.Zero);
        Assert.That(members.Sorted().Length, Is.Zero);
        members.Add("only");
        Assert.That(members.Sorted().ToArray().Select(m => members.Name(m).ToString()), Is.EqualTo(new[] { "only" }));
    }
}
