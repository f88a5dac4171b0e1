using LayerBuilder.Archive;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.RoundTrip;

/// <summary>
/// Layer tars follow the conventions extractors rely on (archive-format.md §5): no root entry, every
/// ancestor folder explicit and first, numeric owners without names, links and whiteouts well formed.
/// </summary>
[TestFixture(SampleImage.Hello, ArchiveFormat.Docker)]
[TestFixture(SampleImage.Hello, ArchiveFormat.Oci)]
[TestFixture(SampleImage.Rich, ArchiveFormat.Docker)]
[TestFixture(SampleImage.Rich, ArchiveFormat.Oci)]
public sealed class LayerTarShapeTests(string sampleName, ArchiveFormat format)
{
    private SampleImage sample = null!;

    [OneTimeSetUp]
    public async Task Build() => sample = await SampleImage.BuildAsync(sampleName, format);

    [OneTimeTearDown]
    public void CleanUp() => sample.Dispose();

    private IEnumerable<(int Index, List<TarMember> Members)> Layers() =>
        Enumerable.Range(0, sample.Archive.LayerPaths.Count).Select(i => (i, sample.Archive.Layer(i)));

    [Test]
    public void No_layer_has_a_root_entry_or_absolute_or_dot_names()
    {
        foreach (var (index, members) in Layers())
        {
            foreach (var name in members.Select(m => m.Name))
            {
                Assert.That(name, Is.Not.EqualTo("").And.Not.EqualTo(".").And.Not.EqualTo("./").And.Not.EqualTo("/"), $"layer {index}");
                Assert.That(name, Does.Not.StartWith("./").And.Not.StartWith("/"), $"layer {index}");
                Assert.That(name.TrimEnd('/').Split('/'), Has.None.EqualTo("..").And.None.EqualTo("."), $"layer {index}: {name}");
            }
        }
    }

    [Test]
    public void Every_ancestor_is_an_explicit_folder_before_its_children()
    {
        foreach (var (index, members) in Layers())
        {
            var names = members.Select(m => m.Name).ToList();
            Assert.That(names, Is.Unique, $"layer {index}");
            foreach (var member in members)
            {
                var parts = member.Name.TrimEnd('/').Split('/');
                for (var depth = 1; depth < parts.Length; depth++)
                {
                    var parent = string.Join('/', parts[..depth]) + "/";
                    var at = names.IndexOf(parent);
                    Assert.That(at, Is.GreaterThanOrEqualTo(0).And.LessThan(names.IndexOf(member.Name)), $"layer {index}: {parent} before {member.Name}");
                    Assert.That(members[at].IsDirectory, Is.True, $"layer {index}: {parent}");
                }
            }
        }
    }

    [Test]
    public void Folders_and_only_folders_end_in_a_slash()
    {
        foreach (var (index, members) in Layers())
        {
            foreach (var member in members)
            {
                Assert.That(member.Name.EndsWith('/'), Is.EqualTo(member.IsDirectory), $"layer {index}: {member}");
            }
        }
    }

    [Test]
    public void Owners_are_numeric_with_empty_user_and_group_names()
    {
        foreach (var (index, members) in Layers())
        {
            Assert.That(members.Select(m => m.UserName + m.GroupName), Has.All.Empty, $"layer {index}");
        }

        if (sampleName == SampleImage.Rich)
        {
            var app = sample.Archive.Layer(1).Single(m => m.Name == "app/lib/one.dll");
            Assert.That((app.Uid, app.Gid), Is.EqualTo((1000, 1000)), "owner app:app resolved through the image's /etc/passwd and /etc/group");
        }
    }

    [Test]
    public void Hard_links_point_at_a_regular_file_earlier_in_the_same_layer()
    {
        var links = 0;
        foreach (var (index, members) in Layers())
        {
            foreach (var link in members.Where(m => m.IsHardLink))
            {
                links++;
                var target = members.FindIndex(m => m.Name == link.LinkName);
                Assert.That(target, Is.GreaterThanOrEqualTo(0).And.LessThan(members.IndexOf(link)), $"layer {index}: {link.Name} -> {link.LinkName}");
                Assert.That(members[target].IsRegularFile, Is.True);
            }
        }

        Assert.That(links, Is.EqualTo(sampleName == SampleImage.Rich ? 1 : 0));
    }

    [Test]
    public void Whiteouts_are_empty_files_that_come_before_their_siblings()
    {
        foreach (var (index, members) in Layers())
        {
            foreach (var whiteout in members.Where(m => m.Name.Split('/')[^1].StartsWith(".wh.", StringComparison.Ordinal)))
            {
                Assert.That(whiteout.IsRegularFile && whiteout.Size == 0, Is.True, $"layer {index}: {whiteout}");
                var folder = whiteout.Name[..(whiteout.Name.LastIndexOf('/') + 1)];
                var firstSibling = members.FindIndex(m => m.Name != folder && m.Name.StartsWith(folder, StringComparison.Ordinal) &&
                    !m.Name[folder.Length..].StartsWith(".wh.", StringComparison.Ordinal));
                Assert.That(firstSibling < 0 || firstSibling > members.IndexOf(whiteout), Is.True, $"layer {index}: {whiteout.Name}");
            }
        }

        if (sampleName == SampleImage.Rich)
        {
            Assert.That(sample.Archive.Layer(3).Select(m => m.Name), Is.EqualTo(new[]
            {
                "usr/", "usr/share/", "usr/share/.wh.doc", "var/", "var/cache/", "var/cache/apt/", "var/cache/apt/.wh.a.bin", "var/cache/apt/.wh.b.bin",
            }));
        }
    }

    [Test]
    public void Step_entries_carry_the_recipe_time_and_base_entries_their_own()
    {
        var created = sample.Archive.ConfigDocument.GetProperty("created").GetDateTimeOffset().ToUnixTimeSeconds();
        if (sampleName == SampleImage.Hello)
        {
            Assert.That(Layers().SelectMany(l => l.Members).Select(m => m.ModifiedSeconds), Has.All.EqualTo(created));
            return;
        }

        Assert.That(sample.Archive.Layer(0).Select(m => m.ModifiedSeconds), Has.All.EqualTo(RootfsTar.DefaultTime.ToUnixTimeSeconds()));
        var app = sample.Archive.Layer(1).Where(m => m.Name.StartsWith("app/", StringComparison.Ordinal)).ToList();
        Assert.That(app, Is.Not.Empty);
        Assert.That(app.Select(m => m.ModifiedSeconds), Has.All.EqualTo(created));
        var extracted = sample.Archive.Layer(2).Single(m => m.Name == "opt/tools/bin/tool");
        Assert.That((extracted.ModifiedSeconds, extracted.Uid, extracted.Gid), Is.EqualTo((RootfsTar.DefaultTime.ToUnixTimeSeconds(), 2, 3)),
            "extracted entries keep their own metadata");
    }

    [Test]
    public void Every_layer_is_whole_blocks_ending_in_two_zero_blocks()
    {
        foreach (var path in sample.Archive.LayerPaths)
        {
            var bytes = sample.Archive.Bytes(path);
            Assert.That(bytes.Length % 512, Is.Zero, path);
            Assert.That(bytes[^1024..], Has.All.EqualTo((byte)0), path);
        }
    }
}
