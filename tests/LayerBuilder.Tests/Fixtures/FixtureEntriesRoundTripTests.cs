using System.Text;
using System.Text.Json;
using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Reading;
using LayerBuilder.Tests.Library;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Fixtures;

/// <summary>
/// Every fixture entry kind (docs/recipe.md: nodes, xattrs, mtime, whiteouts, opaque, names that are not
/// UTF-8) in both formats, read back by Python's tarfile (Support/independent_reader.py, no product code)
/// for the exact PAX records, names and header fields, and by the public reader.
/// </summary>
public sealed class FixtureEntriesRoundTripTests
{
    private const string CapabilityHex = "0100000200200000000000000000000000000000";

    private static readonly ArchiveFormat[] Formats = [ArchiveFormat.Docker, ArchiveFormat.Oci];

    private TempDirectory folder = null!;
    private Dictionary<ArchiveFormat, string> archives = null!;

    [OneTimeSetUp]
    public async Task Build()
    {
        folder = new TempDirectory();
        archives = [];
        var pair = RecipePairs.All(folder.Path)[RecipePairs.FixtureEntries];
        foreach (var format in Formats)
        {
            var path = folder.Combine($"{format}.tar");
            await ImageBuilder.BuildAsync(BuildRequest.ToFile(pair.ParseYaml(), path) with { Format = format });
            archives[format] = path;
        }
    }

    [OneTimeTearDown]
    public void Remove() => folder.Dispose();

    private List<JsonElement> Python(ArchiveFormat format) => IndependentReader.Entries(archives[format], details: true);

    private static JsonElement Named(List<JsonElement> entries, string name, int layer = 0) =>
        entries.Single(e => e.GetProperty("name").GetString() == name && e.GetProperty("layer").GetInt32() == layer);

    private static string Pax(JsonElement entry, string key) =>
        entry.GetProperty("pax").TryGetProperty(key, out var value) ? value.GetString()! : "(none)";

    private static string Hex(string text) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(text));

    [TestCaseSource(nameof(Formats))]
    public void Devices_and_fifos_are_tar_entries_with_their_numbers(ArchiveFormat format)
    {
        var entries = Python(format);
        var null_ = Named(entries, "dev/null");
        var disk = Named(entries, "dev/sda");
        var fifo = Named(entries, "run/app.fifo");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((null_.GetProperty("kind").GetString(), null_.GetProperty("devmajor").GetInt32(), null_.GetProperty("devminor").GetInt32(), null_.GetProperty("mode").GetInt32()),
                Is.EqualTo(("char", 1, 3, Convert.ToInt32("666", 8))));
            Assert.That((disk.GetProperty("kind").GetString(), disk.GetProperty("devmajor").GetInt32(), disk.GetProperty("gid").GetInt32()), Is.EqualTo(("block", 8, 6)));
            Assert.That((fifo.GetProperty("kind").GetString(), fifo.GetProperty("uid").GetInt32(), fifo.GetProperty("mode").GetInt32()), Is.EqualTo(("fifo", 1000, Convert.ToInt32("600", 8))));
            Assert.That(Pax(null_, "SCHILY.xattr.user.node"), Is.EqualTo(Hex("dev")));
        }
    }

    [TestCaseSource(nameof(Formats))]
    public void Xattrs_are_pax_records_with_the_exact_bytes(ArchiveFormat format)
    {
        var entries = Python(format);
        var ping = Named(entries, "usr/bin/ping");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Pax(ping, "SCHILY.xattr.security.capability"), Is.EqualTo(CapabilityHex), "binary value, byte for byte");
            Assert.That(Pax(ping, "SCHILY.xattr.user.note"), Is.EqualTo(Hex("text")));
            Assert.That(Pax(Named(entries, "tmp"), "SCHILY.xattr.user.dir"), Is.EqualTo(Hex("yes")));
            Assert.That(entries.Where(e => e.GetProperty("name").GetString()!.StartsWith("srv/app/", StringComparison.Ordinal) && e.GetProperty("layer").GetInt32() == 0)
                .Select(e => Pax(e, "SCHILY.xattr.user.copied")).Distinct(), Is.EqualTo(new[] { Hex("1") }), "every entry a copy walks gets its xattrs");
        }
    }

    [TestCaseSource(nameof(Formats))]
    public void Times_are_written_as_gnu_tar_and_go_write_them(ArchiveFormat format)
    {
        var entries = Python(format);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Named(entries, "usr/bin/ping").GetProperty("mtime_exact").GetString(), Is.EqualTo("-1.5"));
            Assert.That(Named(entries, "data/caf\uFFFD").GetProperty("mtime_exact").GetString(), Is.EqualTo("1700000000.1234567"));
            Assert.That(Named(entries, "tmp").GetProperty("mtime_exact").GetString(), Is.EqualTo("-86400"));
            Assert.That(Named(entries, "dev/null").GetProperty("mtime_exact").GetString(), Is.EqualTo("1"), "whole seconds need no PAX record");
            Assert.That(Pax(Named(entries, "dev/null"), "mtime"), Is.EqualTo("(none)"));
            Assert.That(Named(entries, "usr/bin/ping6").GetProperty("mtime").GetInt64(), Is.EqualTo(2));
            Assert.That(Named(entries, "srv/app/run.sh").GetProperty("mtime_exact").GetString(), Is.EqualTo("946684800.5"), "a copy's mtime");
            Assert.That(Named(entries, "usr", layer: 0).GetProperty("mtime").GetInt64(), Is.EqualTo(1704067200), "entries without their own get created");
        }
    }

    [TestCaseSource(nameof(Formats))]
    public void Modes_keep_setuid_setgid_and_sticky(ArchiveFormat format)
    {
        var entries = Python(format);

        Assert.That(new[] { "usr/bin/ping", "srv/team", "tmp" }.Select(n => Convert.ToString(Named(entries, n).GetProperty("mode").GetInt32(), 8)),
            Is.EqualTo(new[] { "4755", "2775", "1777" }));
    }

    [TestCaseSource(nameof(Formats))]
    public void Names_that_are_not_utf8_keep_their_bytes(ArchiveFormat format)
    {
        var entries = Python(format);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries.Any(e => e.GetProperty("name_hex").GetString() == Hex("data/caf") + "e9"), Is.True, "the file named with \\xE9");
            Assert.That(entries.Any(e => e.GetProperty("name_hex").GetString() == Hex("data/.wh.old") + "ff"), Is.True, "the whiteout named with \\xFF");
        }
    }

    [TestCaseSource(nameof(Formats))]
    public void Explicit_markers_are_written_as_given(ArchiveFormat format)
    {
        var upper = Python(format).Where(e => e.GetProperty("layer").GetInt32() == 1).Select(e => e.GetProperty("name").GetString()).ToList();

        Assert.That(upper, Does.Contain("etc/.wh.never-was"), "a whiteout of a path no lower layer has");
        Assert.That(upper, Does.Contain("srv/app/.wh..wh..opq"));
        Assert.That(upper.IndexOf("srv/app/.wh..wh..opq"), Is.EqualTo(upper.IndexOf("srv/app") + 1), "the marker right after its folder");
    }

    [TestCaseSource(nameof(Formats))]
    public void A_hard_link_to_a_lower_file_copies_it_up_with_its_xattrs(ArchiveFormat format)
    {
        var entries = Python(format);
        var copied = Named(entries, "usr/bin/ping", layer: 1);
        var link = Named(entries, "usr/bin/ping-again", layer: 1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Pax(copied, "SCHILY.xattr.security.capability"), Is.EqualTo(CapabilityHex));
            Assert.That(copied.GetProperty("mtime_exact").GetString(), Is.EqualTo("-1.5"), "the copy-up keeps its time");
            Assert.That((link.GetProperty("kind").GetString(), link.GetProperty("link").GetString()), Is.EqualTo(("hardlink", "usr/bin/ping")));
        }
    }

    [TestCaseSource(nameof(Formats))]
    public async Task The_public_reader_gives_the_same_bytes(ArchiveFormat format)
    {
        var image = (await LayerBuilder.Reading.ImageArchive.OpenAsync(archives[format])).Images.Single();
        var lower = await image.Layers[0].ReadEntriesAsync().ToListAsync();
        var upper = await image.Layers[1].ReadEntriesAsync().ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Convert.ToHexStringLower(lower.Single(e => e.Path == "usr/bin/ping").XattrBytes["security.capability"]), Is.EqualTo(CapabilityHex));
            Assert.That(lower.Single(e => e.Path == "usr/bin/ping").ModificationTime, Is.EqualTo(DateTimeOffset.UnixEpoch.AddSeconds(-1.5)));
            Assert.That(lower.Select(e => e.Path), Does.Contain("data/caf\uDCE9"), "a byte that is not UTF-8 is U+DC00 + the byte");
            Assert.That(upper.Single(e => e.Kind == LayerEntryKind.OpaqueWhiteout).WhiteoutTarget, Is.EqualTo("srv/app"));
            Assert.That(upper.Where(e => e.Kind == LayerEntryKind.Whiteout).Select(e => e.WhiteoutTarget), Is.EquivalentTo(new[] { "etc/never-was", "data/old\uDCFF" }));
        }
    }

    [Test]
    public async Task A_built_fixture_is_reproducible()
    {
        var again = folder.Combine("again.tar");
        await ImageBuilder.BuildAsync(BuildRequest.ToFile(RecipePairs.All(folder.Path)[RecipePairs.FixtureEntries].ParseYaml(), again));

        Assert.That(File.ReadAllBytes(again), Is.EqualTo(File.ReadAllBytes(archives[ArchiveFormat.Docker])));
    }
}
