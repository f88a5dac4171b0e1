using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Output;

/// <summary>
/// A build whose <c>-o</c> holds the previous build's archive puts the new archive in its place as a whole
/// (docs/decisions.md D81, swapped rather than renamed over): the old bytes are never written over, so
/// another name of the old archive keeps them, and nothing is left beside the output.
/// </summary>
[TestFixture]
public sealed class ReplacedOutputTests
{
    [Test]
    public void A_rebuild_replaces_the_previous_archive_whole_and_leaves_nothing_beside_it()
    {
        using var workspace = new OutputWorkspace();
        var folder = workspace.Combine("out");
        Directory.CreateDirectory(folder);
        var output = Path.Combine(folder, "image.tar");
        var first = workspace.Build(output);
        Assert.That(first.ExitCode, Is.EqualTo(0), first.Transcript);
        var firstBytes = File.ReadAllBytes(output);
        HostLinks.CreateHardLink(output, Path.Combine(folder, "first.tar"));

        workspace.WriteFile("src/app.txt", "application, changed\n");
        var second = workspace.Build(output);

        Assert.That(second.ExitCode, Is.EqualTo(0), second.Transcript);
        Assert.That(File.ReadAllBytes(output), Is.Not.EqualTo(firstBytes), "the rebuild wrote no new archive");
        Assert.That(File.ReadAllBytes(Path.Combine(folder, "first.tar")), Is.EqualTo(firstBytes), "the previous archive was written over");
        Assert.That(OutputWorkspace.Entries(folder), Is.EqualTo(new[] { "first.tar", "image.tar" }));
        Assert.That(ImageArchive.Read(output).Layer(0).Single(m => m.Name == "app/app.txt").Content, Is.EqualTo("application, changed\n"u8.ToArray()));
    }
}
