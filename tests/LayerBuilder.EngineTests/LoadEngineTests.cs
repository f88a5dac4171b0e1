using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Diagnostics;
using LayerBuilder.Engine;
using LayerBuilder.EngineTests.Support;

namespace LayerBuilder.EngineTests;

/// <summary>
/// A load (<c>--load</c>, <see cref="BuildRequest.LoadInto"/>) streams the image into the engine's API:
/// docker reports every tag loaded, holds our image id, and runs it; with an archive path the file is
/// written as well; an engine that is not there fails the build before anything is written.
/// </summary>
[TestFixture]
public sealed class LoadEngineTests
{
    [TestCase(ArchiveFormat.Docker)]
    [TestCase(ArchiveFormat.Oci)]
    public async Task LoadWithoutArchiveReportsEveryTagAndTheImageRuns(ArchiveFormat format)
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("load");
        var image = await FixtureImage.BuildAsync(work, "load", format,
            request: (recipe, _) => BuildRequest.ToEngine(recipe, DockerHost.Parse(docker.Host)) with { Format = format });
        try
        {
            Assert.That(image.Result.Loaded, Is.EqualTo(image.References.Select(r => $"Loaded image: {r}")), "what the engine reported");
            Assert.That(image.Result.OutputPath, Is.Empty, "no archive was asked for");
            Assert.That(File.Exists(image.ArchivePath), Is.False, "no archive file is written without an output path");
            Assert.That(Directory.Exists(Path.GetDirectoryName(image.ArchivePath)) && Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(image.ArchivePath)!).Any(), Is.False,
                "nothing is left in the output folder");

            var inspected = await docker.InspectImageAsync(image.References.First());
            Assert.That(ConfigAssertions.String(inspected, "Id"), Is.EqualTo(image.Result.ImageId.ToString()));
            var run = await docker.RunCheckedAsync("run", "--rm", "--network", "none", image.References.First());
            Assert.That(run.StandardOutput, Is.EqualTo(ExpectedImage.DefaultRunOutput), run.Describe);
        }
        finally
        {
            await docker.CleanAsync(image.References);
        }
    }

    [Test]
    public async Task LoadWithAnArchivePathWritesTheArchiveToo()
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("load-file");
        var image = await FixtureImage.BuildAsync(work, "load-file", ArchiveFormat.Docker,
            request: (recipe, output) => BuildRequest.ToFile(recipe, output) with { LoadInto = DockerHost.Parse(docker.Host) });
        try
        {
            Assert.That(image.Result.Loaded, Is.EqualTo(image.References.Select(r => $"Loaded image: {r}")));
            Assert.That(File.Exists(image.ArchivePath), Is.True, "the archive is written beside the load");
            Assert.That(ArchiveRewriter.Members(image.ArchivePath), Does.Contain("manifest.json"));
            var run = await docker.RunCheckedAsync("run", "--rm", "--network", "none", image.References.First());
            Assert.That(run.StandardOutput, Is.EqualTo(ExpectedImage.DefaultRunOutput), run.Describe);
        }
        finally
        {
            await docker.CleanAsync(image.References);
        }
    }

    [Test]
    public async Task AnEngineThatIsNotThereIsOneClearErrorAndNothingIsWritten()
    {
        using var work = new TempFolder("load-down");
        var missing = DockerHost.Parse("unix://" + work.Combine("no-engine.sock"));
        var output = work.Combine("load-out", "image.tar");
        var e = Assert.ThrowsAsync<LayerBuildException>(() => FixtureImage.BuildAsync(work, "load-down", ArchiveFormat.Docker,
            request: (recipe, _) => BuildRequest.ToFile(recipe, output) with { LoadInto = missing }));
        Assert.That(e!.Diagnostics.Select(d => d.Code), Is.EqualTo(new[] { DiagnosticCodes.EngineUnreachable }));
        Assert.That(e.Diagnostics[0].Message, Does.Contain(missing.ToString()).And.Contain("is the docker engine running"));
        Assert.That(Directory.Exists(Path.GetDirectoryName(output)), Is.False, "nothing is written when the engine is not there");
    }
}
