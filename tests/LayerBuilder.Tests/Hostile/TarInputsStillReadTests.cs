using System.Text;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Hostile;

/// <summary>
/// The checks on tar inputs refuse damage, not unusual but valid tars: a gzip file of several members,
/// names and PAX headers well above the ustar field sizes, an empty tar, GNU tar's padding. And the
/// whiteouts of a base image's layers are still applied: there they are meant.
/// </summary>
public sealed class TarInputsStillReadTests
{
    [Test]
    public async Task A_gzip_file_of_two_members_is_a_valid_rootfs()
    {
        using var temp = new TempDirectory();
        var tar = new HandTar().Folder("etc/").File("etc/a", Compressed.Noise(70_000, 5)).File("etc/b", "b\n").ToArray();
        var half = tar.Length / 1024 * 512;
        temp.WriteFile("rootfs.tar.gz", [.. Compressed.Gzip(tar[..half]), .. Compressed.Gzip(tar[half..])]);

        var (_, archive) = await RecipeBuild.BuildAsync(temp, "image: example/members\nbase: { rootfs: rootfs.tar.gz }\n");

        Assert.That(archive.Layer(0).Select(m => m.Name), Is.EqualTo(new[] { "etc/", "etc/a", "etc/b" }));
    }

    [Test]
    public async Task Long_names_and_PAX_headers_under_the_limit_are_read()
    {
        using var temp = new TempDirectory();
        var longName = "opt/" + new string('n', 60_000);
        var paxPath = "srv/" + new string('p', 3000);
        var tar = new HandTar()
            .Long('L', longName).File("ignored-short-name", "long\n")
            .Pax('x', ("path", paxPath), ("mtime", "1700000000.5"), ("uid", "4242")).File("ignored-too", "pax\n")
            .Raw(new byte[20 * HandTar.Block]) // padding to a record, as GNU tar writes
            .ToArray();
        temp.WriteFile("rootfs.tar.zst", Compressed.Zstd(tar));

        var (_, archive) = await RecipeBuild.BuildAsync(temp, "image: example/long\nbase: { rootfs: rootfs.tar.zst }\n");

        var names = archive.Layer(0).Select(m => m.Name).ToList();
        Assert.That(names, Does.Contain(longName).And.Contain(paxPath));
    }

    [Test]
    public async Task An_empty_file_is_an_empty_tar()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("rootfs.tar", []);

        var (_, archive) = await RecipeBuild.BuildAsync(temp, "image: example/empty\nbase: { rootfs: rootfs.tar }\nsteps:\n  - files: [{ path: /a, content: a }]\n");

        Assert.That(archive.Layer(0), Is.Empty);
    }

    [Test]
    public async Task Absolute_names_in_a_rootfs_are_read_under_the_root_with_one_warning()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("rootfs.tar", new HandTar().Folder("/etc/").File("/etc/a", "a\n").File("/etc/b", "b\n").ToArray());

        var (result, archive) = await RecipeBuild.BuildAsync(temp, "image: example/absolute\nbase: { rootfs: rootfs.tar }\n");

        Assert.That(archive.Layer(0).Select(m => m.Name), Is.EqualTo(new[] { "etc/", "etc/a", "etc/b" }));
        var warnings = result.Warnings.Where(w => w.Code.Id == "LB2014").ToList();
        Assert.That(warnings, Has.Count.EqualTo(1), string.Join("\n", result.Warnings));
        Assert.That(warnings[0].Message, Does.Contain("'/etc/'").And.Contain("rootfs.tar"));
        Assert.That((warnings[0].Position.Line, warnings[0].Position.Column), Is.EqualTo((2, 17)), "the rootfs value in the recipe");
    }

    [Test]
    public async Task Whiteouts_in_a_base_images_layers_still_delete_lower_files()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("rootfs.tar", new HandTar().Folder("etc/").File("etc/old.conf", "old\n").File("etc/keep.conf", "keep\n").ToArray());
        var baseRecipe = temp.WriteFile("base.yml", "image: example/base\nbase: { rootfs: rootfs.tar }\nsteps:\n  - remove: [/etc/old.conf]\n");
        await RecipeBuild.BuildFileAsync(baseRecipe, temp.Combine("base.tar"));

        // Removing the path again must fail: the base image's whiteout already removed it.
        var diagnostics = await RecipeBuild.FailAsync(temp, "image: example/child\nbase: { image: base.tar }\nsteps:\n  - remove: [/etc/old.conf]\n", temp.Combine("out", "child.tar"));

        Assert.That(diagnostics.Select(d => d.Code.Id), Is.EqualTo(new[] { "LB2004" }), string.Join("\n", diagnostics));
        Assert.That(Encoding.UTF8.GetString(ImageArchive.Read(temp.Combine("base.tar")).Bytes(ImageArchive.Read(temp.Combine("base.tar")).LayerPaths[1])), Does.Contain(".wh.old.conf"));
    }
}
