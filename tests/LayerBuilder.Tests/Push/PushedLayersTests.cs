using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Push;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Push;

/// <summary>
/// The layers a push sends: compressed reproducibly and recorded, so that a later push knows a layer's
/// compressed digest without reading the layer, compresses it only when its bytes are asked for, and
/// refuses (LB5041, record removed) bytes that no longer match the record.
/// </summary>
public sealed class PushedLayersTests
{
    [Test]
    public async Task A_first_push_compresses_and_records_a_second_reads_no_layer_until_bytes_are_asked_for()
    {
        using var temp = new TempDirectory();
        var layer = Layer(temp, "layer.tar", 300_000);
        var records = new CompressedDigests(temp.Combine("cache"));
        var checks = 0;
        Task<IReadOnlyList<LayerBlob>> Checked(CancellationToken _)
        {
            checks++;
            return Task.FromResult<IReadOnlyList<LayerBlob>>([layer]);
        }

        var first = await PushedLayers.MakeAsync([layer], Checked, LayerCompression.Gzip, Folder(temp, "one"), records, null, CancellationToken.None);
        Assert.That(checks, Is.EqualTo(1));
        Assert.That(first[0].MediaType, Is.EqualTo(MediaTypes.LayerGzip));
        Assert.That(first[0].DiffId, Is.EqualTo(layer.DiffId));

        var second = await PushedLayers.MakeAsync([layer], Checked, LayerCompression.Gzip, Folder(temp, "two"), records, null, CancellationToken.None);
        Assert.That(second[0], Is.InstanceOf<DeferredCompressedLayer>());
        Assert.That((second[0].Digest, second[0].Size), Is.EqualTo((first[0].Digest, first[0].Size)), "the recorded digest, without compressing");
        Assert.That(checks, Is.EqualTo(1), "no layer was read for the second push");

        await using (var bytes = await second[0].OpenBlobAsync())
        {
            Assert.That(Digest.Of(await ReadAllAsync(bytes)), Is.EqualTo(first[0].Digest), "compressed on demand to the same bytes");
        }

        Assert.That(checks, Is.EqualTo(2), "the layer was read once its bytes were asked for");
    }

    [Test]
    public async Task A_record_the_bytes_no_longer_match_is_LB5041_and_is_forgotten()
    {
        using var temp = new TempDirectory();
        var layer = Layer(temp, "layer.tar", 10_000);
        var records = new CompressedDigests(temp.Combine("cache"));
        records.Remember(new FileLayer(layer.FilePath, Digest.Of("something else"), layer.DiffId, 1234, MediaTypes.LayerGzip), LayerCompression.Gzip);

        var pushed = await PushedLayers.MakeAsync([layer], _ => Task.FromResult<IReadOnlyList<LayerBlob>>([layer]), LayerCompression.Gzip, Folder(temp, "one"), records, null, CancellationToken.None);

        var e = Assert.ThrowsAsync<LayerBuildException>(() => pushed[0].OpenBlobAsync());
        Assert.That(e!.Diagnostics.Single().Code, Is.EqualTo(DiagnosticCodes.CompressedLayerChanged));
        Assert.That(records.Find(layer.DiffId, LayerCompression.Gzip), Is.Null, "the record is gone, so the next build compresses afresh");
    }

    [Test]
    public async Task Without_compression_the_checked_layers_are_pushed_as_they_are()
    {
        using var temp = new TempDirectory();
        var layer = Layer(temp, "layer.tar", 1000);

        var pushed = await PushedLayers.MakeAsync([layer], _ => Task.FromResult<IReadOnlyList<LayerBlob>>([layer]), LayerCompression.None, Folder(temp, "one"), null, null, CancellationToken.None);

        Assert.That(pushed, Is.EqualTo(new[] { layer }));
    }

    private static FileLayer Layer(TempDirectory temp, string name, int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes.AsSpan(0, length / 2)); // half random, half zeros: compressible
        var path = temp.Combine(name);
        File.WriteAllBytes(path, bytes);
        return new FileLayer(path, Digest.Of(bytes), length);
    }

    private static string Folder(TempDirectory temp, string name) => Directory.CreateDirectory(temp.Combine(name)).FullName;

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
