using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.EngineTests.Support;
using LayerBuilder.Reading;
using LayerBuilder.Recipe;

namespace LayerBuilder.EngineTests;

/// <summary>
/// What docker does with each fault (docs/fixtures.md, "Fixtures that break on purpose", records the same
/// table): <c>docker load</c> refuses a layer that does not match its diff id, a missing or cut layer and
/// a write through a symlink out of the root; it loads the others (it names the image by the config's
/// own bytes, resolves <c>..</c> and <c>/</c> member names inside the root, and Docker 20.10 reads
/// manifest.json, not index.json). Each image has a file of its own, so its layers are new to the engine:
/// docker reads a layer only when its store lacks it. Validation finds every one of them.
/// </summary>
[TestFixture]
public sealed class FaultsEngineTests
{
    [TestCase(ImageFault.LayerDigestMismatch, ArchiveFormat.Docker, true)]
    [TestCase(ImageFault.MissingLayer, ArchiveFormat.Docker, true)]
    [TestCase(ImageFault.TruncatedLayer, ArchiveFormat.Docker, true)]
    [TestCase(ImageFault.SymlinkEscape, ArchiveFormat.Docker, true)]
    [TestCase(ImageFault.ConfigDigestMismatch, ArchiveFormat.Docker, false)]
    [TestCase(ImageFault.PathTraversal, ArchiveFormat.Docker, false)]
    [TestCase(ImageFault.AbsolutePath, ArchiveFormat.Docker, false)]
    [TestCase(ImageFault.MissingManifest, ArchiveFormat.Oci, false)]
    public async Task Docker_refuses_the_faults_it_should(ImageFault fault, ArchiveFormat format, bool refused)
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("faults");
        var unique = Guid.NewGuid().ToString("N");
        var tag = "lbe-faults/" + unique[..12];
        var recipe = RecipeBuilder.FromScratch(tag)
            .Tags("1.0")
            .BaseDirectory(work.Path)
            .Step("base", s => s.File("/etc/base.txt", "base " + unique + "\n"))
            .Step("app", s => s.File("/app/unique.txt", unique + "\n"))
            .Config(c => c.Label(DockerEngine.TestLabel, "1"))
            .Faults(fault)
            .Build();
        var archive = work.Combine("faulty.tar");
        await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, archive) with { Format = format });
        await docker.CleanAsync([tag + ":1.0"]);
        try
        {
            var load = await docker.RunAsync("load", "--input", archive);

            Assert.That(load.ExitCode != 0, Is.EqualTo(refused), $"docker load of {fault}: {load.Output}");
            Assert.That(await ImageArchive.ValidateAsync(archive), Is.Not.Empty, "verify finds it");
        }
        finally
        {
            await docker.CleanAsync([tag + ":1.0"]);
        }
    }
}
