using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Golden;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.RoundTrip;

/// <summary>The library (and `-o -`) can write the archive to a stream: the same bytes as a file, and
/// nothing left behind in the staging folder.</summary>
[Category(NativeToolRerun.Category)]
public sealed class StreamOutputTests
{
    [TestCase(ArchiveFormat.Docker, false)]
    [TestCase(ArchiveFormat.Oci, false)]
    [TestCase(ArchiveFormat.Docker, true)]
    [TestCase(ArchiveFormat.Oci, true)]
    public async Task A_stream_receives_exactly_the_bytes_of_the_file(ArchiveFormat format, bool oneLayer)
    {
        using var temp = new TempDirectory();
        var recipe = RecipeParser.ParseFile(RepositoryRoot.HelloRecipe);
        if (oneLayer)
        {
            // The file output writes a one-layer image's layer in place; the stream must match it.
            recipe = recipe with { Steps = recipe.Steps.Take(1).ToList() };
        }

        var file = temp.Combine("hello.tar");
        var fromFile = await ImageBuilder.BuildAsync(new BuildRequest(recipe, file) { Format = format });

        using var memory = new MemoryStream();
        var fromStream = await ImageBuilder.BuildAsync(BuildRequest.ToStream(recipe, memory) with { Format = format, WorkDirectory = temp.Combine("work") });

        Assert.That(fromStream.ImageId, Is.EqualTo(fromFile.ImageId));
        Assert.That(memory.ToArray(), Is.EqualTo(await File.ReadAllBytesAsync(file)));
        Assert.That(Directory.GetFileSystemEntries(temp.Combine("work")), Is.Empty, "the staging folder is removed");
        if (!oneLayer)
        {
            // Both could be wrong the same way: the committed golden values and an independent reader say they are not.
            await GoldenImages.AssertArchiveAsync(file, GoldenImages.All.Single(g => g.Fixture == "hello" && g.Format == (format == ArchiveFormat.Docker ? "docker" : "oci")));
        }
    }

    [Test]
    public async Task The_cli_writes_the_archive_to_standard_output_with_dash()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("hello.tar");
        var toFile = LayerBuilderCli.Run([RepositoryRoot.HelloRecipe, "-o", file, "-q", "--no-cache"], temp.Path);
        Assert.That(toFile.ExitCode, Is.Zero, toFile.Transcript);

        // Standard output goes (through the shell) to a file outside the working folder.
        using var elsewhere = new TempDirectory();
        var streamed = elsewhere.Combine("stdout.tar");
        var toStdout = LayerBuilderCli.RunToFile([RepositoryRoot.HelloRecipe, "-o", "-", "--no-cache"], temp.Path, streamed);

        Assert.That(toStdout.ExitCode, Is.Zero, toStdout.Transcript);
        Assert.That(await File.ReadAllBytesAsync(streamed), Is.EqualTo(await File.ReadAllBytesAsync(file)));
        Assert.That(toStdout.StdErr, Does.Contain("Wrote:     standard output"));
        Assert.That(Directory.GetFileSystemEntries(temp.Path), Is.EquivalentTo(new[] { file }), "nothing else is written");
        await GoldenImages.AssertArchiveAsync(streamed, GoldenImages.All.Single(g => g is { Fixture: "hello", Format: "docker" }));
    }
}
