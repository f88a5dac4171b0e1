using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.RoundTrip.Steps;

/// <summary>
/// <c>preserveMode: true</c> keeps the modes of what a copied folder holds, not the mode of the host
/// folder itself: a new destination folder gets <c>dirMode</c>'s default 0755, as Docker's COPY gives it.
/// </summary>
public sealed class PreserveModeFolderTests
{
    [Test]
    public async Task A_new_destination_folder_gets_the_default_mode_and_the_folders_inside_keep_theirs()
    {
        using var temp = new TempDirectory();
        var tree = temp.CreateFolder("tree");
        var inner = temp.CreateFolder("tree/inner");
        temp.WriteFile("tree/inner/file.txt", "x");
        File.SetUnixFileMode(inner, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        File.SetUnixFileMode(tree, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);

        var (_, archive) = await RecipeBuild.BuildAsync(temp, """
            image: example/preserve-mode-folder
            steps:
              - copy:
                  - { src: tree/, dest: /opt/tree/, preserveMode: true }
            """);

        var modes = archive.Layer(0).ToDictionary(m => m.Name, m => m.Mode & 0xFFF);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(modes["opt/tree/"], Is.EqualTo(0x1ED), "the new destination folder: 0755, not the host folder's 0750");
            Assert.That(modes["opt/tree/inner/"], Is.EqualTo(0x1E8), "a folder inside keeps its host mode 0750");
        }
    }
}
