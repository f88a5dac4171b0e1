using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Diagnostics;
using LayerBuilder.Layers;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Hostile;

/// <summary>
/// A gzip layer of a base OCI layout with one byte flipped: decompressing it fails inside the gzip
/// decoder before any digest can be compared. That is damage to the input (LB2023 at the
/// base's recipe position, naming the layer), not an internal error.
/// </summary>
public sealed class DamagedBaseLayerTests
{
    [Test]
    public async Task A_damaged_gzip_layer_of_a_base_layout_is_LB2023()
    {
        using var temp = new TempDirectory();
        var baseRecipe = temp.WriteFile("base.yml", "image: example/base\ncreated: \"2024-01-01T00:00:00Z\"\nsteps:\n  - files: [{ path: /data.bin, content: \"" +
            Convert.ToBase64String(Compressed.Noise(30_000, 9)) + "\" }]\n");
        var archive = temp.Combine("base-oci.tar");
        await ImageBuilder.BuildAsync(new BuildRequest(RecipeParser.ParseFile(baseRecipe), archive) { Format = ArchiveFormat.Oci, Compression = LayerCompression.Gzip });
        var layout = temp.CreateFolder("layout");
        foreach (var member in TarMembers.ReadFile(archive).Where(m => m.IsRegularFile))
        {
            var path = Path.Combine(layout, member.Name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, member.Content);
        }

        var layer = new DirectoryInfo(Path.Combine(layout, "blobs", "sha256")).GetFiles().MaxBy(f => f.Length)!;
        File.WriteAllBytes(layer.FullName, Compressed.Flip(File.ReadAllBytes(layer.FullName), (int)(layer.Length / 2)));

        var diagnostics = await RecipeBuild.FailAsync(temp, "image: example/child\nbase: { layout: layout }\n", temp.Combine("out", "child.tar"));

        Assert.That(diagnostics.Select(d => d.Code.Id), Is.EqualTo(new[] { "LB2023" }), string.Join("\n", diagnostics));
        Assert.That(diagnostics[0].Message, Does.Contain("base layer 1").And.Contain(layer.Name));
        Assert.That((diagnostics[0].Position.Line, diagnostics[0].Position.Column), Is.EqualTo((2, 17)), "the layout value in the recipe");
        Assert.That(diagnostics[0].Severity, Is.EqualTo(Severity.Error));
    }
}
