using System.Formats.Tar;
using System.Text;
using LayerBuilder.Base;
using LayerBuilder.Build;
using LayerBuilder.Cache;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Cache;

/// <summary>
/// A base layer's entries, once read from its tar headers, are kept in the layer cache by diff id
/// (<see cref="LayerIndexStore"/>, docs/decisions.md D83): a later build's merged view from the kept
/// entries is the one the tar gives, field by field and byte by byte; the tar is then not read at all;
/// a damaged or foreign index is ignored and made again.
/// </summary>
[TestFixture]
public sealed class LayerIndexStoreTests
{
    private static readonly SourcePosition Position = SourcePosition.StartOf("layerbuild.yml");

    [Test]
    public void Kept_entries_give_the_same_merged_view_as_the_tar_and_the_tar_is_then_not_read()
    {
        using var temp = new TempDirectory();
        var (lower, upper) = (LowerLayer(temp), UpperLayer(temp));
        var store = new LayerIndexStore(new LayerCache(temp.Combine("cache")));

        var fromTars = Merged(null, lower, upper);
        var keeping = Merged(store, lower, upper);
        Assert.That(File.Exists(temp.Combine("cache", "indexes", upper.DiffId.Hex)), Is.True);

        // The same diff ids, but files that are no tars: only the kept entries can give the view now.
        var (lowerGone, upperGone) = (NotATar(temp, lower), NotATar(temp, upper));
        var fromStore = Merged(store, lowerGone, upperGone);

        Assert.That(Describe(keeping), Is.EqualTo(Describe(fromTars)));
        Assert.That(Describe(fromStore).Select(l => l.Replace(lowerGone.FilePath, lower.FilePath).Replace(upperGone.FilePath, upper.FilePath)),
            Is.EqualTo(Describe(fromTars)));
        // The layers hold what the kept entries must carry: xattrs, a time below the second, whiteouts.
        Assert.That(Describe(fromTars), Has.Some.Contains("xattr security.capability=01000002"));
        Assert.That(Describe(fromTars), Has.Some.Contains("fraction 5000000"));
        Assert.That(Describe(fromTars), Has.None.StartsWith("/var/gone.txt").And.None.StartsWith("/opt/old.txt"));
        Assert.That(Describe(fromTars), Has.Some.StartsWith("/opt/new.txt"));
    }

    [Test]
    public void A_file_of_the_kept_view_still_reads_from_the_tar()
    {
        using var temp = new TempDirectory();
        var lower = LowerLayer(temp);
        var store = new LayerIndexStore(new LayerCache(temp.Combine("cache")));
        Merged(store, lower);

        var view = Merged(store, lower);

        using var content = view.Get(ImagePath.Parse("/etc/passwd"))!.Content!.Open();
        Assert.That(new StreamReader(content).ReadToEnd(), Is.EqualTo("root:x:0:0::/root:/bin/sh\n"));
        Assert.That(view.Get(ImagePath.Parse("/bin/sh-link"))!.Content, Is.Not.Null, "a hard link is copied up from its target");
    }

    [TestCase(0, TestName = "An index whose magic is wrong is ignored and made again")]
    [TestCase(4, TestName = "An index of another format version is ignored and made again")]
    [TestCase(40, TestName = "An index with a flipped byte is ignored and made again")]
    [TestCase(-1, TestName = "An index whose own hash is wrong is ignored and made again")]
    public void A_damaged_index_is_ignored_and_made_again(int offset)
    {
        using var temp = new TempDirectory();
        var lower = LowerLayer(temp);
        var store = new LayerIndexStore(new LayerCache(temp.Combine("cache")));
        var expected = Describe(Merged(store, lower));
        var indexFile = temp.Combine("cache", "indexes", lower.DiffId.Hex);
        var good = File.ReadAllBytes(indexFile);
        var damaged = (byte[])good.Clone();
        damaged[offset < 0 ? damaged.Length + offset : offset] ^= 0x40;
        File.WriteAllBytes(indexFile, damaged);

        Assert.That(store.TryRead(lower.DiffId, lower.FilePath), Is.Null);
        Assert.That(Describe(Merged(store, lower)), Is.EqualTo(expected));
        Assert.That(File.ReadAllBytes(indexFile), Is.EqualTo(good), "the index was not made again");
    }

    [Test]
    public void A_cut_index_is_ignored()
    {
        using var temp = new TempDirectory();
        var lower = LowerLayer(temp);
        var store = new LayerIndexStore(new LayerCache(temp.Combine("cache")));
        Merged(store, lower);
        var indexFile = temp.Combine("cache", "indexes", lower.DiffId.Hex);
        var good = File.ReadAllBytes(indexFile);

        foreach (var length in new[] { 0, 3, 5, 36, good.Length / 2, good.Length - 1 })
        {
            File.WriteAllBytes(indexFile, good[..length]);
            Assert.That(store.TryRead(lower.DiffId, lower.FilePath), Is.Null, $"cut to {length} bytes");
        }
    }

    [Test]
    public async Task A_rootfs_base_taken_from_the_cache_keeps_its_entries_and_the_archive_stays_the_same()
    {
        using var temp = new TempDirectory();
        new RootfsTar().Folder("etc/").File("etc/passwd", "root:x:0:0::/root:/bin/sh\n").Folder("app/").WriteTo(temp.Combine("rootfs.tar"));
        temp.WriteFile("app.txt", "app\n");
        var recipe = RecipeParser.Parse("""
            image: index/test
            created: "2024-01-01T00:00:00Z"
            base: { rootfs: rootfs.tar }
            steps:
              - copy: [{ src: app.txt, dest: /app/ }]
            """, "layerbuild.yml", temp.Path);
        var cache = new LayerCache(temp.Combine("cache"));
        var indexes = temp.Combine("cache", "indexes");

        var first = await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, temp.Combine("first.tar")) with { Cache = cache });
        Assert.That(Directory.Exists(indexes), Is.False, "a streamed rootfs reaches the view as it is written: nothing to keep yet");
        var second = await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, temp.Combine("second.tar")) with { Cache = cache });
        Assert.That(Directory.GetFiles(indexes).Select(Path.GetFileName), Is.EqualTo(new[] { first.Layers[0].DiffId.Hex }));
        var third = await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, temp.Combine("third.tar")) with { Cache = cache });

        Assert.That(File.ReadAllBytes(temp.Combine("second.tar")), Is.EqualTo(File.ReadAllBytes(temp.Combine("first.tar"))));
        Assert.That(File.ReadAllBytes(temp.Combine("third.tar")), Is.EqualTo(File.ReadAllBytes(temp.Combine("first.tar"))));
        Assert.That(third.ImageId, Is.EqualTo(second.ImageId));
    }

    private static LowerLayerIndex Merged(LayerIndexStore? store, params FileLayer[] layers)
    {
        var index = new LowerLayerIndex();
        foreach (var layer in layers)
        {
            LayerIndexer.Apply(index, layer, Position, store);
        }

        return index;
    }

    /// <summary>Every entry of the view, one line each, with every field the plan uses.</summary>
    private static List<string> Describe(LowerLayerIndex index) =>
        index.Descendants(ImagePath.Root).Select(path => index.Get(path)!).Select(e => string.Join(" | ",
            e.Path.Value, e.Kind, Convert.ToString(e.Mode, 8), e.Owner, e.ModifiedTime, $"fraction {e.ModifiedFraction}", e.LinkTarget ?? "-",
            e.Content is TarMemberContent member ? $"{member.LayerFile}:{member.MemberName}:{member.Length}" : e.Content is null ? "no content" : e.Content.GetType().Name,
            string.Join(",", (e.Xattrs ?? new Dictionary<string, byte[]>()).Select(x => $"xattr {x.Key}={Convert.ToHexString(x.Value)}")))).ToList();

    private static FileLayer LowerLayer(TempDirectory temp) => Layer(temp, "lower.tar",
        Pax(TarEntryType.Directory, "etc/", 0x1ED),
        Pax(TarEntryType.RegularFile, "etc/passwd", 0x1A4, "root:x:0:0::/root:/bin/sh\n"),
        Pax(TarEntryType.Directory, "bin/", 0x1ED),
        Pax(TarEntryType.RegularFile, "bin/sh", 0x1ED, "#!shell\n", uid: 7, gid: 8, extra: new() { ["SCHILY.xattr.security.capability"] = "\u0001\0\0\u0002" }, modified: RootfsTar.DefaultTime.AddMilliseconds(500)),
        Pax(TarEntryType.HardLink, "bin/sh-link", 0x1ED, link: "bin/sh"),
        Pax(TarEntryType.SymbolicLink, "bin/sh-sym", 0x1FF, link: "sh"),
        Pax(TarEntryType.Directory, "usr/share/" + new string('d', 120) + "/", 0x1ED),
        Pax(TarEntryType.RegularFile, "usr/share/" + new string('d', 120) + "/" + new string('f', 90), 0x180, "long\n"),
        Pax(TarEntryType.Fifo, "run/fifo", 0x1B6),
        Pax(TarEntryType.Directory, "opt/", 0x1ED),
        Pax(TarEntryType.RegularFile, "opt/old.txt", 0x1A4, "old\n"),
        Pax(TarEntryType.Directory, "var/", 0x1ED),
        Pax(TarEntryType.RegularFile, "var/gone.txt", 0x1A4, "gone\n"));

    private static FileLayer UpperLayer(TempDirectory temp) => Layer(temp, "upper.tar",
        Pax(TarEntryType.Directory, "opt/", 0x1C0),
        Pax(TarEntryType.RegularFile, "opt/.wh..wh..opq", 0),
        Pax(TarEntryType.RegularFile, "opt/new.txt", 0x1A4, "new\n"),
        Pax(TarEntryType.RegularFile, "var/.wh.gone.txt", 0),
        Pax(TarEntryType.Directory, "étrange/", 0x1ED),
        Pax(TarEntryType.RegularFile, "étrange/naïve ☃.txt", 0x1A4, "unicode\n"));

    private static PaxTarEntry Pax(TarEntryType type, string name, int mode, string? content = null, string? link = null, int uid = 0, int gid = 0, Dictionary<string, string>? extra = null, DateTimeOffset? modified = null)
    {
        var entry = new PaxTarEntry(type, name, extra ?? new Dictionary<string, string>())
        {
            Mode = (UnixFileMode)mode,
            Uid = uid,
            Gid = gid,
            ModificationTime = modified ?? RootfsTar.DefaultTime,
        };
        if (content is not null)
        {
            entry.DataStream = new MemoryStream(Encoding.Latin1.GetBytes(content));
        }

        if (link is not null)
        {
            entry.LinkName = link;
        }

        return entry;
    }

    private static FileLayer Layer(TempDirectory temp, string name, params PaxTarEntry[] entries)
    {
        var path = temp.Combine(name);
        using (var file = File.Create(path))
        using (var writer = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: false))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        var bytes = File.ReadAllBytes(path);
        return new FileLayer(path, Digest.Of(bytes), bytes.Length);
    }

    private static FileLayer NotATar(TempDirectory temp, FileLayer layer)
    {
        var path = temp.Combine("not-a-tar-" + layer.DiffId.Hex[..8]);
        File.WriteAllBytes(path, new byte[layer.Size]);
        return new FileLayer(path, layer.DiffId, layer.Size);
    }
}
