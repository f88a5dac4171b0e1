using LayerBuilder.Archive;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.RoundTrip;

/// <summary>
/// The outer archive is what every loader opens first: regular files only (no links, no folders),
/// sorted, unique, plain relative names, fixed metadata.
/// </summary>
[TestFixture(SampleImage.Hello, ArchiveFormat.Docker)]
[TestFixture(SampleImage.Hello, ArchiveFormat.Oci)]
[TestFixture(SampleImage.Rich, ArchiveFormat.Docker)]
[TestFixture(SampleImage.Rich, ArchiveFormat.Oci)]
[TestFixture(SampleImage.Single, ArchiveFormat.Docker)]
[TestFixture(SampleImage.Single, ArchiveFormat.Oci)]
public sealed class OuterTarShapeTests(string sampleName, ArchiveFormat format)
{
    private SampleImage sample = null!;

    [OneTimeSetUp]
    public async Task Build() => sample = await SampleImage.BuildAsync(sampleName, format);

    [OneTimeTearDown]
    public void CleanUp() => sample.Dispose();

    [Test]
    public void Every_member_is_a_regular_file()
    {
        Assert.That(sample.Archive.Members.Select(m => m.TypeFlag), Has.All.EqualTo('0'));

        // Below the library too: no GNU long-name or global headers, no link or folder entries; a PAX
        // header only where a one-layer image pads its layer to a page boundary (next test).
        var raw = RawTar.Headers(File.ReadAllBytes(sample.ArchivePath));
        Assert.That(raw.Where(h => h.TypeFlag != 'x').Select(h => h.TypeFlag), Has.All.EqualTo('0'));
        Assert.That(raw.Count(h => h.TypeFlag == 'x'), Is.EqualTo(sample.Result.Layers.Count == 1 ? 1 : 0));
    }

    [Test]
    public void A_one_layer_image_has_its_layer_at_a_page_boundary_and_others_are_not_padded()
    {
        var raw = RawTar.Headers(File.ReadAllBytes(sample.ArchivePath));
        var layerNames = sample.Archive.LayerPaths;
        var layers = raw.Where(h => layerNames.Contains(h.Name)).ToList();
        Assert.That(layers, Has.Count.EqualTo(sample.Result.Layers.Count));
        if (layers.Count != 1)
        {
            return;
        }

        // The header before the layer is a PAX header of nothing but a comment, and the layer's bytes
        // start right after the layer's own header, at a multiple of 4096.
        var index = raw.IndexOf(layers[0]);
        var pax = raw[index - 1];
        Assert.That(pax.TypeFlag, Is.EqualTo('x'));
        Assert.That(pax.PaxRecords.Select(r => r.Key), Is.EqualTo(new[] { "comment" }));
        var dataOffset = layers[0].Offset + RawTar.BlockSize;
        Assert.That(dataOffset % 4096, Is.Zero, $"layer data at {dataOffset}");
        Assert.That(pax.Offset + RawTar.BlockSize + pax.Size, Is.EqualTo(layers[0].Offset), "the PAX records fill whole blocks");
    }

    [Test]
    public void Names_are_sorted_byte_wise_and_unique()
    {
        var names = sample.Archive.Members.Select(m => m.Name).ToList();

        Assert.That(names, Is.Unique);
        Assert.That(names, Is.EqualTo(names.Order(StringComparer.Ordinal)));
    }

    [Test]
    public void Names_are_plain_relative_paths()
    {
        foreach (var name in sample.Archive.Members.Select(m => m.Name))
        {
            Assert.That(name, Does.Not.StartWith("./").And.Not.StartWith("/").And.Not.EndWith("/"));
            Assert.That(name.Split('/'), Has.None.EqualTo("..").And.None.EqualTo(".").And.None.Empty, name);
        }
    }

    [Test]
    public void Metadata_is_fixed_on_every_member()
    {
        var created = sample.Archive.ConfigDocument.GetProperty("created").GetDateTimeOffset().ToUnixTimeSeconds();

        foreach (var member in sample.Archive.Members)
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That((member.Uid, member.Gid), Is.EqualTo((0, 0)), member.Name);
                Assert.That(member.UserName + member.GroupName, Is.Empty, member.Name);
                Assert.That(member.Mode, Is.EqualTo(0x1A4), member.Name);
                Assert.That(member.ModifiedSeconds, Is.EqualTo(created), member.Name);
            }
        }
    }

    [Test]
    public void The_archive_ends_with_two_zero_blocks_on_a_block_boundary()
    {
        var bytes = File.ReadAllBytes(sample.ArchivePath);

        Assert.That(bytes.Length % 512, Is.Zero);
        Assert.That(bytes[^1024..], Has.All.EqualTo((byte)0));
    }
}
