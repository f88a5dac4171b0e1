using LayerBuilder.Base;
using LayerBuilder.Cache;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Tests.Unit;

/// <summary>A layer's cache key changes with every input it stands for, and with nothing else.</summary>
internal sealed class StepCacheKeyTests
{
    private static readonly HostFileInfo Info = new(EntryKind.File, 0x1A4, 0, 0, 5, 1, 2049, 77, 0, 0, false)
    {
        ModifiedNanoseconds = 1_700_000_000_123_456_789,
        ChangedNanoseconds = 1_700_000_001_000_000_000,
    };

    private static LayerEntry HostFile(string path = "/data/a.txt", HostFileInfo? info = null, string hostPath = "/src/a.txt", long length = 5) => new()
    {
        Path = ImagePath.Parse(path),
        Kind = EntryKind.File,
        Mode = 0x1A4,
        Owner = new Owner(1000, 1000),
        ModifiedTime = 1_700_000_000,
        Content = new HostFileContent(hostPath, length) { Info = info ?? Info },
    };

    private static readonly LayerEntry Folder = new() { Path = ImagePath.Parse("/data"), Kind = EntryKind.Directory, Mode = 0x1ED, ModifiedTime = 1_700_000_000 };

    private static Digest? Key(params LayerEntry[] entries) => StepCacheKey.Compute(null, entries);

    private static IEnumerable<TestCaseData> Changes()
    {
        var file = HostFile();
        yield return new TestCaseData(file with { Path = ImagePath.Parse("/data/b.txt") }).SetName("path");
        yield return new TestCaseData(file with { Kind = EntryKind.Symlink, Content = null }).SetName("kind");
        yield return new TestCaseData(file with { Mode = 0x1ED }).SetName("mode");
        yield return new TestCaseData(file with { Owner = new Owner(1001, 1000) }).SetName("uid");
        yield return new TestCaseData(file with { Owner = new Owner(1000, 1001) }).SetName("gid");
        yield return new TestCaseData(file with { ModifiedTime = 1_700_000_001 }).SetName("mtime");
        yield return new TestCaseData(file with { LinkTarget = "x" }).SetName("link target");
        yield return new TestCaseData(file with { DeviceMajor = 1 }).SetName("device major");
        yield return new TestCaseData(file with { DeviceMinor = 1 }).SetName("device minor");
        yield return new TestCaseData(file with { Xattrs = new Dictionary<string, byte[]> { ["user.a"] = [1] } }).SetName("xattr added");
        yield return new TestCaseData(HostFile(hostPath: "/src/b.txt")).SetName("host path");
        yield return new TestCaseData(HostFile(length: 6)).SetName("host length");
        yield return new TestCaseData(HostFile(info: Info with { Device = 2050 })).SetName("host device");
        yield return new TestCaseData(HostFile(info: Info with { Inode = 78 })).SetName("host inode");
        yield return new TestCaseData(HostFile(info: Info with { ModifiedNanoseconds = Info.ModifiedNanoseconds + 1 })).SetName("host mtime");
        yield return new TestCaseData(HostFile(info: Info with { ChangedNanoseconds = Info.ChangedNanoseconds + 1 })).SetName("host ctime");
        yield return new TestCaseData(file with { Content = new InlineContent("hello"u8.ToArray()) }).SetName("inline instead of host");
        yield return new TestCaseData(file with { Content = null }).SetName("no content");
        yield return new TestCaseData(file with { Content = new TarMemberContent("/l.tar", "data/a.txt", 5) }).SetName("archive member");
    }

    [TestCaseSource(nameof(Changes))]
    public void A_changed_input_changes_the_key(LayerEntry changed)
    {
        Assert.That(Key(Folder, changed), Is.Not.EqualTo(Key(Folder, HostFile())));
    }

    [Test]
    public void The_same_inputs_give_the_same_key()
    {
        Assert.That(Key(Folder, HostFile()), Is.EqualTo(Key(Folder with { }, HostFile() with { })));
    }

    [Test]
    public void Inline_bytes_archive_members_and_lower_slices_are_keyed_by_what_identifies_them()
    {
        LayerEntry With(ContentSource content) => HostFile() with { Content = content };
        Assert.Multiple(() =>
        {
            Assert.That(Key(With(new InlineContent("a"u8.ToArray()))), Is.Not.EqualTo(Key(With(new InlineContent("b"u8.ToArray())))));
            Assert.That(Key(With(new TarMemberContent("/l.tar", "a", 5))), Is.Not.EqualTo(Key(With(new TarMemberContent("/l.tar", "b", 5)))));
            Assert.That(Key(With(new TarMemberContent("/l.tar", "a", 5))), Is.Not.EqualTo(Key(With(new TarMemberContent("/l.tar", "a", 6)))));
            Assert.That(Key(With(new LayerSliceContent(LayerLocation.At("/l.tar"), 512, 5))), Is.Not.EqualTo(Key(With(new LayerSliceContent(LayerLocation.At("/l.tar"), 1024, 5)))));
            Assert.That(Key(With(new LayerSliceContent(LayerLocation.At("/l.tar"), 512, 5))), Is.Not.EqualTo(Key(With(new LayerSliceContent(LayerLocation.At("/l.tar"), 512, 6)))));
        });
    }

    [Test]
    public void Xattrs_are_keyed_by_name_and_value_in_name_order()
    {
        LayerEntry With(params (string Name, byte Value)[] xattrs) =>
            HostFile() with { Xattrs = xattrs.ToDictionary(x => x.Name, x => new[] { x.Value }) };
        Assert.Multiple(() =>
        {
            Assert.That(Key(With(("user.a", 1), ("user.b", 2))), Is.EqualTo(Key(With(("user.b", 2), ("user.a", 1)))));
            Assert.That(Key(With(("user.a", 1))), Is.Not.EqualTo(Key(With(("user.a", 2)))));
            Assert.That(Key(With(("user.a", 1))), Is.Not.EqualTo(Key(With(("user.b", 1)))));
            Assert.That(Key(With()), Is.EqualTo(Key(HostFile())), "no xattrs and an empty set are the same");
        });
    }

    [Test]
    public void Entry_order_and_the_layers_below_change_the_key()
    {
        var other = HostFile("/data/b.txt", hostPath: "/src/b.txt");
        Assert.Multiple(() =>
        {
            Assert.That(Key(HostFile(), other), Is.Not.EqualTo(Key(other, HostFile())));
            Assert.That(Key(HostFile()), Is.Not.EqualTo(Key(HostFile(), other)));
            Assert.That(StepCacheKey.Compute(Digest.Of("lower"u8), [HostFile()]), Is.Not.EqualTo(Key(HostFile())));
        });
    }

    [Test]
    public void Content_staged_for_this_build_leaves_the_layer_without_a_key()
    {
        var staged = HostFile(hostPath: "/tmp/staging/extract-1/a.txt");
        var perBuild = staged with { Content = ((HostFileContent)staged.Content!) with { PerBuild = true } };

        Assert.That(Key(Folder, perBuild), Is.Null);
        Assert.That(Key(Folder, staged), Is.Not.Null, "the same path, not made by this build, has a key");
    }

    [Test]
    public void A_step_of_many_files_is_keyed_across_buffer_refills()
    {
        var entries = Enumerable.Range(0, 5_000).Select(i => HostFile($"/data/f{i:D5}", hostPath: $"/src/f{i:D5}")).ToList();
        var changed = entries.ToList();
        changed[4_321] = HostFile("/data/f04321", Info with { Inode = 1 }, "/src/f04321");
        Assert.That(StepCacheKey.Compute(null, changed), Is.Not.EqualTo(StepCacheKey.Compute(null, entries)));
        Assert.That(StepCacheKey.Compute(null, entries.ToList()), Is.EqualTo(StepCacheKey.Compute(null, entries)));
    }
}
