using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Reading;
using LayerBuilder.Recipe;

namespace LayerBuilder.Tests.Library;

public sealed class FixtureImageExample
{
    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101; // 0755

    [Test]
    public async Task A_fixture_image_has_an_executable_entrypoint()
    {
        var folder = Directory.CreateTempSubdirectory("fixture-").FullName;
        try
        {
            var recipe = RecipeBuilder.FromScratch("fixtures/hello")
                .Created(DateTimeOffset.UnixEpoch)
                .Step("app", step => step.File("/app/run.sh", "#!/bin/sh\necho hi\n", mode: Executable))
                .Config(config => config.Entrypoint("/app/run.sh"))
                .Build();
            var path = Path.Combine(folder, "hello.tar");
            var built = await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, path) with { Format = ArchiveFormat.Oci });

            var archive = await ImageArchive.OpenAsync(path);
            var image = archive.Images.Single();
            var script = await image.Layers[0].ReadEntriesAsync().SingleAsync(entry => entry.Path == "app/run.sh");

            Assert.That(image.Id, Is.EqualTo(built.ImageId));
            Assert.That(script.Mode, Is.EqualTo(Executable));
            Assert.That(image.Config.Config.Entrypoint, Is.EqualTo(new[] { "/app/run.sh" }));
            Assert.That(await archive.ValidateAsync(), Is.Empty);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
