using System.Security.Cryptography;
using LayerBuilder.Build;
using LayerBuilder.Tests.Golden;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Library;

/// <summary>
/// A recipe written with <see cref="Recipe.RecipeBuilder"/> builds to the bytes its YAML form builds to:
/// the whole archive's sha256, the image id, the manifest digest and the diff ids, in every format
/// (docs/library.md). The code form of the golden fixture also builds to the committed golden bytes.
/// </summary>
public sealed class YamlEqualsCodeTests
{
    private TempDirectory bases = null!;
    private IReadOnlyDictionary<string, RecipePair> pairs = null!;

    [OneTimeSetUp]
    public async Task WriteBases()
    {
        bases = new TempDirectory();
        await RecipePairs.WriteBasesAsync(bases.Path);
        pairs = RecipePairs.All(bases.Path);
    }

    [OneTimeTearDown]
    public void RemoveBases() => bases.Dispose();

    public static IEnumerable<TestCaseData> Cases() =>
        from name in RecipePairs.Names
        from format in new[] { "docker", "oci", "oci+gzip", "oci+zstd" }
        select new TestCaseData(name, format).SetArgDisplayNames(name, format);

    [TestCaseSource(nameof(Cases))]
    public async Task The_builder_and_the_yaml_build_the_same_bytes(string name, string format)
    {
        var pair = pairs[name];
        using var temp = new TempDirectory();
        var fromYaml = await BuildAsync(pair.ParseYaml(), temp.Combine("yaml", "image.tar"), format);
        var fromCode = await BuildAsync(pair.Code(), temp.Combine("code", "image.tar"), format);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fromYaml.Result.Layers, Has.Count.EqualTo(pair.Layers), "the YAML form builds the image the case means");
            Assert.That(fromCode.Sha256, Is.EqualTo(fromYaml.Sha256), "sha256 of the whole archive");
            Assert.That(fromCode.Result.ImageId, Is.EqualTo(fromYaml.Result.ImageId), "image id");
            Assert.That(fromCode.Result.ManifestDigest, Is.EqualTo(fromYaml.Result.ManifestDigest), "manifest digest");
            Assert.That(fromCode.Result.Layers.Select(l => l.DiffId.ToString()).ToList(), Is.EqualTo(fromYaml.Result.Layers.Select(l => l.DiffId.ToString()).ToList()), "diff ids");
            Assert.That(fromCode.Result.RepoTags, Is.EqualTo(fromYaml.Result.RepoTags), "tags");
        }
    }

    /// <summary>The golden fixture that has a code form (<see cref="RecipePairs.Rootfs"/>), in every format.</summary>
    public static IEnumerable<TestCaseData> GoldenCases() => GoldenImages.Cases().Where(c => ((GoldenImage)c.Arguments[0]!).Fixture == "every-entry-kind");

    [TestCaseSource(nameof(GoldenCases))]
    public async Task The_golden_fixture_built_in_code_has_the_golden_bytes(GoldenImage golden)
    {
        using var temp = new TempDirectory();
        var built = await BuildAsync(pairs[RecipePairs.Rootfs].Code(), temp.Combine("image.tar"), golden.Format);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(built.Sha256, Is.EqualTo(golden.ArchiveSha256));
            Assert.That(built.Result.ImageId.ToString(), Is.EqualTo(golden.ImageId));
            Assert.That(built.Result.ManifestDigest.ToString(), Is.EqualTo(golden.ManifestDigest));
            Assert.That(built.Result.Layers.Select(l => l.DiffId.ToString()).ToList(), Is.EqualTo(golden.DiffIds));
        }
    }

    [Test]
    public void The_pairs_differ_from_each_other()
    {
        // A pair whose two forms were both empty would pass the byte test without showing anything.
        var ids = RecipePairs.Names.Select(n => pairs[n].Code()).Select(r => (r.Image.Value.Full, r.Steps.Count)).ToList();

        Assert.That(ids.Distinct().Count(), Is.EqualTo(ids.Count));
        Assert.That(ids.Select(i => i.Count), Has.All.GreaterThan(0));
    }

    private static async Task<(BuildResult Result, string Sha256)> BuildAsync(Recipe.BuildRecipe recipe, string path, string format)
    {
        var golden = new GoldenImage("", format, "", "", "", "", []);
        var result = await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, path) with { Format = golden.ArchiveFormat, Compression = golden.Compression });
        await using var file = File.OpenRead(path);
        return (result, Convert.ToHexStringLower(await SHA256.HashDataAsync(file)));
    }
}
