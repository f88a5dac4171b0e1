using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Planning;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Unit;

/// <summary>
/// The place of a one-layer image's layer is known before the layer is hashed: it must not depend on
/// any digest's value, only on sizes. Images of several layers are laid out without padding.
/// </summary>
public sealed class ArchiveLayoutTests
{
    private const string Yaml = """
        image: registry.example.com/team/layout
        tags: ["1.0", latest]
        created: "2024-01-01T00:00:00Z"
        config:
          env: { A: b }
          labels: { x: y }
          annotations: { org.opencontainers.image.title: layout }
        steps:
          - name: app
            files: [{ path: /a, content: a }]
          - name: more
            files: [{ path: /b, content: b }]
        """;

    [TestCase(ArchiveFormat.Docker)]
    [TestCase(ArchiveFormat.Oci)]
    public void The_layer_place_depends_on_sizes_only(ArchiveFormat format)
    {
        var recipe = RecipeParser.Parse(Yaml, "layerbuild.yml", Path.GetTempPath());
        var one = Offset(recipe, format, Digest.Of("one"), 123_456);
        var other = Offset(recipe, format, Digest.Of("other"), 654_321);

        Assert.That(one, Is.Not.Null);
        Assert.That(other, Is.EqualTo(one));
        Assert.That(one!.Value % 4096, Is.Zero);
    }

    [TestCase(ArchiveFormat.Docker)]
    [TestCase(ArchiveFormat.Oci)]
    public void The_layout_puts_the_layer_where_the_offset_said(ArchiveFormat format)
    {
        var recipe = RecipeParser.Parse(Yaml, "layerbuild.yml", Path.GetTempPath());
        var model = Model(recipe, [Digest.Of("layer")], 99_999);
        var layout = ArchiveLayout.For(model, format);
        var layer = layout.Members.Single(m => m.Member is LayerMember);

        Assert.That(layer.DataOffset, Is.EqualTo(ArchiveLayout.SingleLayerDataOffset(model, format)));
        Assert.That(layout.Members.Select(m => m.Member.Name), Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        Assert.That(layout.Members.Zip(layout.Members.Skip(1)).All(p => p.Second.HeaderOffset == p.First.DataOffset + ((p.First.Member.Length + 511) / 512 * 512)), "members follow each other with no gaps");
    }

    /// <summary>What the layout promises, checked in a real archive by an independent reader (Python's
    /// tarfile): the layer's data starts on a 4 KiB boundary at the offset the layout computed, and the
    /// bytes there hash to the diff id.</summary>
    [TestCase(ArchiveFormat.Docker)]
    [TestCase(ArchiveFormat.Oci)]
    public async Task In_a_written_one_layer_archive_the_layer_starts_where_the_layout_said(ArchiveFormat format)
    {
        using var temp = new TempDirectory();
        var two = RecipeParser.Parse(Yaml, "layerbuild.yml", temp.Path);
        var recipe = two with { Steps = two.Steps.Take(1).ToList() };
        var archive = temp.Combine("one.tar");
        var result = await ImageBuilder.BuildAsync(new BuildRequest(recipe, archive) { Format = format });
        var model = Model(recipe, [result.Layers[0].DiffId], result.Layers[0].Size!.Value);

        var layer = PythonTarfile.Members(archive).Single(m => m.Size == result.Layers[0].Size && (m.Name.EndsWith("layer.tar", StringComparison.Ordinal) || m.Name.EndsWith(result.Layers[0].DiffId.Hex, StringComparison.Ordinal)));

        Assert.That(layer.DataOffset % 4096, Is.Zero);
        Assert.That(layer.DataOffset, Is.EqualTo(ArchiveLayout.SingleLayerDataOffset(model, format)));
        await using var stream = File.OpenRead(archive);
        stream.Position = layer.DataOffset;
        var bytes = new byte[layer.Size];
        await stream.ReadExactlyAsync(bytes);
        Assert.That("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), Is.EqualTo(result.Layers[0].DiffId.ToString()));
    }

    [TestCase(ArchiveFormat.Docker)]
    [TestCase(ArchiveFormat.Oci)]
    public void Images_of_several_layers_are_not_padded(ArchiveFormat format)
    {
        var recipe = RecipeParser.Parse(Yaml, "layerbuild.yml", Path.GetTempPath());
        var model = Model(recipe, [Digest.Of("a"), Digest.Of("b")], 2048);

        Assert.That(ArchiveLayout.SingleLayerDataOffset(model, format), Is.Null);
        Assert.That(ArchiveLayout.For(model, format).Members.Select(m => m.Header.Length), Has.All.EqualTo(512));
    }

    private static long? Offset(BuildRecipe recipe, ArchiveFormat format, Digest diffId, long size) =>
        ArchiveLayout.SingleLayerDataOffset(Model(recipe, [diffId], size), format);

    private static ImageModel Model(BuildRecipe recipe, IReadOnlyList<Digest> diffIds, long size)
    {
        var plan = new ImagePlan(
            [],
            [],
            diffIds.Select(_ => "layerbuild step").ToList(),
            diffIds.Select(_ => new HistoryEntry(recipe.Created, "layerbuild step", "layerbuild")).ToList(),
            recipe.Platform,
            ConfigMerge.Apply(new ContainerConfig(), recipe.Config, Platform.LinuxAmd64, new DiagnosticBag()));
        return ImageBuilder.CreateModel(recipe, plan, diffIds.Select(d => (LayerBlob)new FileLayer("/nowhere", d, size)).ToList());
    }
}
