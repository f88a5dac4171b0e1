using System.Text.Json;
using LayerBuilder.Archive;
using LayerBuilder.Layers;
using LayerBuilder.Testing;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Golden;

/// <summary>
/// The committed golden values (tests/golden/golden.json): for each fixture recipe and each archive
/// format, the sha256 of the whole archive, the image id, the manifest digest and the diff ids. They are
/// literals in the repository, not computed by the product, so a change in the bytes fails every front
/// end until someone changes them on purpose (docs/testing.md says how).
/// </summary>
public static class GoldenImages
{
    /// <summary>Two fixtures in four formats: fewer means a case went missing, which must fail, not shrink the run.</summary>
    public const int MinimumCases = 8;

    public static string GoldenFolder => Path.Combine(RepositoryRoot.Path, "tests", "golden");

    public static IReadOnlyList<GoldenImage> All { get; } = Load();

    /// <summary>One test case per fixture and format, named so a failure says which.</summary>
    public static IEnumerable<TestCaseData> Cases()
    {
        Assert.That(All, Has.Count.GreaterThanOrEqualTo(MinimumCases), "golden.json lost cases");
        return All.Select(g => new TestCaseData(g).SetArgDisplayNames(g.Fixture, g.Format));
    }

    /// <summary>Checks an archive with tests/golden/inspect-archive.py (Python's tarfile and hashlib, the zstd
    /// command): its own digests must be consistent, and equal to the golden ones.</summary>
    public static async Task AssertArchiveAsync(string archive, GoldenImage golden)
    {
        var inspected = await ProcessRunner.RunCheckedAsync("python3", [Path.Combine(GoldenFolder, "inspect-archive.py"), archive]);
        using var document = JsonDocument.Parse(inspected.StandardOutput);
        var root = document.RootElement;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("archiveSha256").GetString(), Is.EqualTo(golden.ArchiveSha256), $"{golden}: the archive's bytes");
            Assert.That(root.GetProperty("imageId").GetString(), Is.EqualTo(golden.ImageId), $"{golden}: the config's digest");
            Assert.That(root.GetProperty("diffIds").EnumerateArray().Select(d => d.GetString()), Is.EqualTo(golden.DiffIds), $"{golden}: the diff ids");
            if (root.GetProperty("manifestDigest").ValueKind == JsonValueKind.String)
            {
                Assert.That(root.GetProperty("manifestDigest").GetString(), Is.EqualTo(golden.ManifestDigest), $"{golden}: index.json's manifest");
            }
        }
    }

    private static List<GoldenImage> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(GoldenFolder, "golden.json")));
        var images = new List<GoldenImage>();
        foreach (var fixture in document.RootElement.GetProperty("fixtures").EnumerateObject())
        {
            var recipe = Path.Combine(RepositoryRoot.Path, fixture.Value.GetProperty("recipe").GetString()!);
            foreach (var image in fixture.Value.GetProperty("images").EnumerateObject())
            {
                images.Add(new GoldenImage(
                    fixture.Name,
                    image.Name,
                    recipe,
                    image.Value.GetProperty("archiveSha256").GetString()!,
                    image.Value.GetProperty("imageId").GetString()!,
                    image.Value.GetProperty("manifestDigest").GetString()!,
                    image.Value.GetProperty("diffIds").EnumerateArray().Select(d => d.GetString()!).ToList()));
            }
        }

        return images;
    }
}

/// <summary>One fixture in one format, and the values it must build to.</summary>
public sealed record GoldenImage(string Fixture, string Format, string Recipe, string ArchiveSha256, string ImageId, string ManifestDigest, IReadOnlyList<string> DiffIds)
{
    public ArchiveFormat ArchiveFormat => Format == "docker" ? ArchiveFormat.Docker : ArchiveFormat.Oci;

    public LayerCompression Compression => Format switch
    {
        "oci+gzip" => LayerCompression.Gzip,
        "oci+zstd" => LayerCompression.Zstd,
        _ => LayerCompression.None,
    };

    /// <summary>The CLI's spelling of this format.</summary>
    public IReadOnlyList<string> CliArguments => Compression switch
    {
        LayerCompression.Gzip => ["--format", "oci", "--compression", "gzip"],
        LayerCompression.Zstd => ["--format", "oci", "--compression", "zstd"],
        _ => ["--format", Format],
    };

    public override string ToString() => $"{Fixture} as {Format}";
}
