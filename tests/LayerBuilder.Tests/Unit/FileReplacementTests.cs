using LayerBuilder.FileSystem;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Unit;

/// <summary>
/// <see cref="FileReplacement"/> puts a finished file in place of another as a rename over it would
/// (docs/decisions.md D81): the new bytes at the path, the temporary name gone, the old file's other names
/// and open handles untouched, and a folder in the way refused with nothing lost.
/// </summary>
[TestFixture]
public sealed class FileReplacementTests
{
    [Test]
    public void A_file_in_place_is_replaced_and_nothing_is_left_under_the_temporary_name()
    {
        using var temp = new TempDirectory();
        var output = temp.WriteFile("image.tar", "old image\n");
        var otherName = temp.Combine("kept.tar");
        HostLinks.CreateHardLink(output, otherName);
        using var reader = File.OpenRead(output);
        var temporary = temp.WriteFile(".image.tar.1.partial", "new image\n");

        FileReplacement.Replace(temporary, output);

        Assert.That(File.ReadAllText(output), Is.EqualTo("new image\n"));
        Assert.That(File.ReadAllText(otherName), Is.EqualTo("old image\n"), "the old file was written over, not replaced");
        Assert.That(new StreamReader(reader).ReadToEnd(), Is.EqualTo("old image\n"), "a reader of the old file lost it");
        Assert.That(Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { "image.tar", "kept.tar" }));
    }

    [Test]
    public void With_no_file_in_place_it_is_a_rename()
    {
        using var temp = new TempDirectory();
        var temporary = temp.WriteFile(".image.tar.1.partial", "new image\n");

        FileReplacement.Replace(temporary, temp.Combine("image.tar"));

        Assert.That(Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName), Is.EqualTo(new[] { "image.tar" }));
        Assert.That(File.ReadAllText(temp.Combine("image.tar")), Is.EqualTo("new image\n"));
    }

    [Test]
    public void A_folder_in_place_is_refused_and_neither_it_nor_the_new_file_is_lost()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("image.tar/inside.txt", "a folder's file\n");
        var temporary = temp.WriteFile(".image.tar.1.partial", "new image\n");

        Assert.Throws(Is.InstanceOf<IOException>(), () => FileReplacement.Replace(temporary, temp.Combine("image.tar")));

        Assert.That(File.ReadAllText(temp.Combine("image.tar", "inside.txt")), Is.EqualTo("a folder's file\n"));
        Assert.That(File.ReadAllText(temporary), Is.EqualTo("new image\n"));
    }

    [Test]
    public void A_symbolic_link_in_place_is_replaced_itself_and_its_target_is_untouched()
    {
        using var temp = new TempDirectory();
        var target = temp.WriteFile("elsewhere.tar", "someone else's file\n");
        File.CreateSymbolicLink(temp.Combine("image.tar"), target);
        var temporary = temp.WriteFile(".image.tar.1.partial", "new image\n");

        FileReplacement.Replace(temporary, temp.Combine("image.tar"));

        Assert.That(new FileInfo(temp.Combine("image.tar")).LinkTarget, Is.Null);
        Assert.That(File.ReadAllText(temp.Combine("image.tar")), Is.EqualTo("new image\n"));
        Assert.That(File.ReadAllText(target), Is.EqualTo("someone else's file\n"));
        Assert.That(File.Exists(temporary), Is.False);
    }
}
