using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Hostile;

/// <summary>
/// A base image layer that starts like a gzip, zstd or bzip2 stream but is damaged inside is decompressed
/// while its digest is checked; the decoder's failure is LB2023 at the recipe's base naming the layer,
/// not an internal error.
/// </summary>
public sealed class BaseLayerDamageTests
{
    private const string Recipe = "image: example/on-damaged-base\ncreated: \"2024-01-01T00:00:00Z\"\nbase: { image: \"{base}\" }\n";

    [TestCase(new byte[] { 0x1f, 0x8b, 0x08, 0x00 }, TestName = "A damaged gzip base layer is reported")]
    [TestCase(new byte[] { 0x28, 0xb5, 0x2f, 0xfd }, TestName = "A damaged zstd base layer is reported")]
    [TestCase(new byte[] { (byte)'B', (byte)'Z', (byte)'h', (byte)'9' }, TestName = "A damaged bzip2 base layer is reported")]
    public async Task A_damaged_compressed_layer_is_reported(byte[] magic)
    {
        using var folder = new TempDirectory();
        var image = HandWrittenBaseImage.WriteDockerSave(folder.Combine("base"));
        File.WriteAllBytes(Path.Combine(image, "layer.tar"), [.. magic, .. "not compressed at all, only the magic is right"u8.ToArray()]);

        await HostileRun.FailsAsync(folder.Path, Recipe.Replace("{base}", image, StringComparison.Ordinal), "LB2023", 3, 16, "layer 1 of hand/base:1.0", "'layer.tar'");
    }
}
