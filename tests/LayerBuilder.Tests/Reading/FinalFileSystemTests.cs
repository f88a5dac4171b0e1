using System.Security.Cryptography;
using LayerBuilder.Archive;
using LayerBuilder.Tests.Support;
using static LayerBuilder.Tests.Reading.HandLayout;
using ImageArchive = LayerBuilder.Reading.ImageArchive;
using LayerEntryKind = LayerBuilder.Reading.LayerEntryKind;

namespace LayerBuilder.Tests.Reading;

/// <summary>
/// The final filesystem (<c>ArchivedImage.ReadFileSystemAsync</c>) stacks layers as the image-spec's
/// layer.md says: whiteouts remove lower paths and their subtrees, an opaque marker empties its folder of
/// lower entries but not of its own layer's, a file over a folder replaces the folder and what is in it,
/// a hard link carries its file's content digest; every kind and its metadata come through.
/// </summary>
public sealed class FinalFileSystemTests
{
    [Test]
    public async Task Whiteouts_opaque_folders_and_a_file_over_a_folder_apply_as_layer_md_says()
    {
        using var temp = new TempDirectory();
        Write(temp.Path,
            [Dir("a/"), File("a/x", "x"), Dir("a/sub/"), File("a/sub/deep", "deep"), File("b", "b"), Dir("c/"), File("c/z", "z"), Dir("d/"), File("d/keep", "keep"), File("a-sibling", "s")],
            [Dir("a/"), File("a/.wh..wh..opq", ""), File("a/new", "new"), File(".wh.b", ""), File("c", "now a file"), File("d/.wh.gone", "")]);

        var fileSystem = await (await ImageArchive.OpenAsync(temp.Path)).Images.Single().ReadFileSystemAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fileSystem.Entries.Select(e => e.Path), Is.EqualTo(new[] { "a", "a-sibling", "a/new", "c", "d", "d/keep" }));
            Assert.That(fileSystem.Find("/c")!.Kind, Is.EqualTo(LayerEntryKind.File));
            Assert.That(fileSystem.Find("c")!.Layer, Is.EqualTo(1));
            Assert.That(fileSystem.Find("a-sibling")!.ContentDigest!.Value.Hex, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData("s"u8))));
        }
    }

    [Test]
    public async Task Every_kind_and_its_metadata_reach_the_final_filesystem_and_a_removed_file_does_not()
    {
        using var fixture = ReaderFixture.Create();
        var (_, path) = await fixture.BuildAsync("image.tar", ArchiveFormat.Oci);

        var fileSystem = await (await ImageArchive.OpenAsync(path)).Images.Single().ReadFileSystemAsync();
        var run = fileSystem.Find("app/run")!;
        var again = fileSystem.Find("app/run-again")!;
        var device = fileSystem.Find("dev/null")!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fileSystem.Find("etc/old.conf"), Is.Null, "removed by the cleanup step's whiteout");
            Assert.That(fileSystem.Entries.Select(e => e.Path), Is.Ordered.Using<string>(StringComparer.Ordinal));
            Assert.That((run.Kind, Convert.ToString((int)run.Mode, 8), run.Uid, run.Gid), Is.EqualTo((LayerEntryKind.File, "4755", 1000, 1000)));
            Assert.That(run.ContentDigest!.Value.Hex, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData("#!/bin/sh\necho run\n"u8))));
            Assert.That((again.Kind, again.ContentDigest, again.Size), Is.EqualTo((LayerEntryKind.HardLink, run.ContentDigest, run.Size)));
            Assert.That((device.Kind, device.DeviceMajor, device.DeviceMinor), Is.EqualTo((LayerEntryKind.CharacterDevice, 1, 3)));
            Assert.That(fileSystem.Find("etc/passwd")!.Xattrs["user.note"], Is.EqualTo("hello"));
            Assert.That(fileSystem.Find("usr/bin/run")!.LinkTarget, Is.EqualTo("/app/run"));
            Assert.That(Convert.ToString((int)fileSystem.Find("tmp")!.Mode, 8), Is.EqualTo("1777"));
            Assert.That(fileSystem.Entries.Select(e => e.Kind), Has.None.EqualTo(LayerEntryKind.Whiteout).And.None.EqualTo(LayerEntryKind.OpaqueWhiteout));
        }
    }
}
