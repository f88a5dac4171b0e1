using System.Security.Cryptography;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Output;

/// <summary>
/// A build that fails in the middle of writing a multi-layer archive (here: a write past the file size
/// limit, which fails as a full disk does) leaves the archive an earlier build wrote at <c>-o</c>
/// untouched, and nothing else: no temporary file, no staging folder, no cache temporary.
/// </summary>
[TestFixture]
public sealed class FailedBuildKeepsEarlierArchiveTests
{
    private const int LayerFileSize = 400 * 1024;
    private const int FileSizeLimit = 600 * 1024; // above each layer, below the archive of two

    [TestCase("image.tar", LayerFileSize)]
    [TestCase("image.tar.gz", LayerFileSize)]
    [TestCase("image.tar", FileSizeLimit + LayerFileSize, TestName = "A layer that cannot be written leaves the earlier archive and nothing else")]
    public void A_failure_while_the_archive_is_written_leaves_the_earlier_archive_and_nothing_else(string name, int size)
    {
        using var workspace = new OutputWorkspace("""
            image: output/test
            created: "2024-01-01T00:00:00Z"
            steps:
              - copy: [{ src: src/one.bin, dest: /one/ }]
              - copy: [{ src: src/two.bin, dest: /two/ }]
            """);
        workspace.WriteFile("src/one.bin", "small");
        workspace.WriteFile("src/two.bin", "small");
        var output = workspace.Combine("out", name);
        var earlier = workspace.Build(output);
        Assert.That(earlier.ExitCode, Is.Zero, earlier.Transcript);
        var before = File.ReadAllBytes(output);
        var written = File.GetLastWriteTimeUtc(output);

        File.WriteAllBytes(workspace.Combine("src", "one.bin"), RandomNumberGenerator.GetBytes(size));
        File.WriteAllBytes(workspace.Combine("src", "two.bin"), RandomNumberGenerator.GetBytes(size));
        var failed = LayerBuilderCli.Run([workspace.Recipe, "-o", output], workspace.Root,
            new Dictionary<string, string?>
            {
                ["XDG_CACHE_HOME"] = workspace.Cache,

                // The runtime's double-mapped code pages live in a memory file that the limit would cap too.
                ["DOTNET_EnableWriteXorExecute"] = "0",
            }, fileSizeLimit: FileSizeLimit);

        Assert.Multiple(() =>
        {
            Assert.That(failed.ExitCode, Is.EqualTo(3), failed.Transcript);
            Assert.That(failed.StdErr, Does.Contain("error LB3001:"), failed.Transcript);
            Assert.That(failed.StdErr, Does.Not.Contain("Exception"), failed.Transcript);
        });
        Assert.That(File.ReadAllBytes(output), Is.EqualTo(before), "the earlier archive was damaged");
        Assert.That(File.GetLastWriteTimeUtc(output), Is.EqualTo(written));
        Assert.That(OutputWorkspace.Entries(workspace.Combine("out")), Is.EqualTo(new[] { name }), "nothing but the earlier archive is left beside it");
        Assert.That(OutputWorkspace.Entries(Path.Combine(workspace.Cache, "layerbuilder", "tmp")), Is.Empty, "no cache temporary is left");
    }
}
