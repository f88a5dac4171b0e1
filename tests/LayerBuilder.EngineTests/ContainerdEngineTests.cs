using System.Security.Cryptography;
using System.Text;
using LayerBuilder.Archive;
using LayerBuilder.EngineTests.Support;
using LayerBuilder.Layers;

namespace LayerBuilder.EngineTests;

/// <summary>
/// containerd 1.6 (<c>ctr images import</c>) takes both formats in a namespace of its own, names every
/// tag, finds all content, and unpacks each layer into a snapshot keyed by its chain id, checking the
/// diff id of every layer as it goes.
/// </summary>
[TestFixture]
public sealed class ContainerdEngineTests
{
    [TestCase(ArchiveFormat.Docker, LayerCompression.None)]
    [TestCase(ArchiveFormat.Oci, LayerCompression.None)]
    [TestCase(ArchiveFormat.Oci, LayerCompression.Gzip)]
    [TestCase(ArchiveFormat.Oci, LayerCompression.Zstd)]
    public async Task ImportsIntoAFreshNamespaceAndUnpacksEveryLayer(ArchiveFormat format, LayerCompression compression)
    {
        using var work = new TempFolder("ctr");
        await using var ctr = await Engines.ContainerdAsync();
        var image = await FixtureImage.BuildAsync(work, "ctr", format, RootfsKind.Folder, compression);
        Assert.That(Table(await ctr.RunCheckedAsync("snapshots", "ls")), Is.Empty, $"namespace {ctr.Namespace} must start empty");

        var import = await ctr.RunCheckedAsync("images", "import", image.ArchivePath);
        TestContext.Progress.WriteLine(import.StandardOutput.Trim());
        foreach (var name in image.Result.Tags)
        {
            Assert.That(import.StandardOutput, Does.Contain($"unpacking {name} (sha256:"), import.Describe);
        }

        var images = Table(await ctr.RunCheckedAsync("images", "ls"));
        Assert.That(images.Select(r => r[0]), Is.EquivalentTo(image.Result.Tags), "image names (io.containerd.image.name / RepoTags)");
        Assert.Multiple(() =>
        {
            foreach (var row in images)
            {
                if (format == ArchiveFormat.Oci)
                {
                    // From index.json: our own manifest, by its digest.
                    Assert.That(row[1], Is.EqualTo("application/vnd.oci.image.manifest.v1+json"), row[0]);
                    Assert.That(row[2], Is.EqualTo(image.Result.ManifestDigest.ToString()), row[0]);
                }
                else
                {
                    // From manifest.json: containerd writes a Docker manifest of its own.
                    Assert.That(row[1], Is.EqualTo("application/vnd.docker.distribution.manifest.v2+json"), row[0]);
                }
            }
        });

        var check = await ctr.RunCheckedAsync("images", "check");
        var blobs = image.Result.Layers.Count + 1;
        Assert.Multiple(() =>
        {
            foreach (var name in image.Result.Tags)
            {
                var line = check.StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
                Assert.That(line, Does.Contain($" complete ({blobs}/{blobs}) ").And.EndWith(" true"), $"`ctr images check` of {name} (complete, unpacked):\n{check.StandardOutput}");
            }
        });

        var snapshots = Table(await ctr.RunCheckedAsync("snapshots", "ls")).Select(r => r[0]).ToList();
        Assert.That(snapshots, Is.EquivalentTo(ChainIds(image.Result.Layers.Select(l => l.DiffId.ToString()))),
            "one committed snapshot per layer, keyed by chain id (so every diff id was verified on unpack)");
    }

    [Test]
    public async Task LayerWhoseBytesDoNotMatchItsDiffIdIsNotUnpacked()
    {
        using var work = new TempFolder("ctr-corrupt");
        await using var ctr = await Engines.ContainerdAsync();
        var image = await FixtureImage.BuildAsync(work, "ctr-corrupt", ArchiveFormat.Docker);
        var stepLayer = ArchiveRewriter.ManifestLayers(image.ArchivePath)[1];
        var corrupt = work.Combine("corrupt.tar");
        ArchiveRewriter.Rewrite(image.ArchivePath, corrupt, _ => true, (name, bytes) => name == stepLayer
            ? ArchiveRewriter.ReplaceOnce(bytes, Encoding.ASCII.GetBytes("greeting=Hello"), Encoding.ASCII.GetBytes("greeting=Jello"))
            : bytes);

        var import = await ctr.RunAsync("images", "import", corrupt);
        Assert.That(import.ExitCode, Is.Not.Zero, import.Describe);
        Assert.That(import.StandardError, Does.Contain("wrong diff id"), import.Describe);
        var snapshots = Table(await ctr.RunCheckedAsync("snapshots", "ls")).Select(r => r[0]).ToList();
        Assert.That(snapshots, Has.Count.LessThan(image.Result.Layers.Count), "the corrupted layer must not be unpacked");
    }

    /// <summary>image-spec config.md: ChainID(L0) = DiffID(L0); ChainID(L0..n) = sha256(ChainID(L0..n-1) + " " + DiffID(Ln)).</summary>
    private static List<string> ChainIds(IEnumerable<string> diffIds)
    {
        var chain = new List<string>();
        foreach (var diffId in diffIds)
        {
            chain.Add(chain.Count == 0
                ? diffId
                : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes($"{chain[^1]} {diffId}"))));
        }

        return chain;
    }

    /// <summary>The rows of a ctr table, split on whitespace, without the header.</summary>
    private static List<string[]> Table(ProcessResult result) =>
        result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1)
            .Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(r => r.Length > 0)
            .ToList();
}
