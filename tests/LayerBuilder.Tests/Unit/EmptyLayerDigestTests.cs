using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Unit;

/// <summary>
/// The golden value every engine knows (moby daemon/internal/layer/empty.go): an empty layer is 1024
/// zero bytes. If LayerWriter wrote anything else for no entries, Docker would not recognize it.
/// </summary>
public sealed class EmptyLayerDigestTests
{
    private const string EmptyLayer = "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";

    [Test]
    public void Digest_of_1024_zero_bytes_is_the_empty_layer_digest() =>
        Assert.That(Digest.Of(new byte[1024]).ToString(), Is.EqualTo(EmptyLayer));

    [Test]
    public async Task LayerWriter_writes_exactly_the_empty_layer_for_zero_entries()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("empty.tar");

        var blob = await LayerWriter.WriteAsync(path, [], null, CancellationToken.None);

        var bytes = await File.ReadAllBytesAsync(path);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(blob.DiffId.ToString(), Is.EqualTo(EmptyLayer));
            Assert.That(blob.Size, Is.EqualTo(1024));
            Assert.That(bytes, Has.Length.EqualTo(1024).And.All.EqualTo((byte)0));
            Assert.That(File.Exists(path + ".partial"), Is.False, "the temporary file must be renamed away");
        }
    }
}
