using System.Diagnostics;
using LayerBuilder.Diagnostics;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Hostile;

/// <summary>
/// Tars written by GNU tar and Python's tarfile, the writers users' rootfs tars come from: the header
/// checks accept the formats they write (gnu, oldgnu, posix, compressed by the gzip, bzip2 and zstd
/// tools), and GNU tar's sparse files, in both its encodings, are refused (LB2012) instead of crashing.
/// </summary>
public sealed class IndependentWritersTests
{
    [TestCase("gnu", "gzip")]
    [TestCase("posix", "bzip2")]
    [TestCase("oldgnu", "zstd")]
    [TestCase("gnu", "")]
    public async Task A_rootfs_written_by_GNU_tar_is_read(string format, string compressor)
    {
        using var temp = new TempDirectory();
        var tree = temp.CreateFolder("tree");
        Directory.CreateDirectory(Path.Combine(tree, "etc", new string('d', 120)));
        File.WriteAllText(Path.Combine(tree, "etc", new string('d', 120), new string('f', 150)), "deep\n");
        File.WriteAllBytes(Path.Combine(tree, "etc", "data.bin"), Compressed.Noise(100_000, 7));
        File.CreateSymbolicLink(Path.Combine(tree, "etc", "link"), new string('t', 180));
        var tar = temp.Combine("rootfs.tar");
        Run(temp.Path, "tar", $"--format={format}", "--owner=0", "--group=0", "-cf", tar, "-C", tree, "etc");
        if (compressor.Length > 0)
        {
            Run(temp.Path, compressor, "-q", tar);
        }

        var file = compressor switch { "gzip" => "rootfs.tar.gz", "bzip2" => "rootfs.tar.bz2", "zstd" => "rootfs.tar.zst", _ => "rootfs.tar" };
        var (_, archive) = await RecipeBuild.BuildAsync(temp, $"image: example/gnu\nbase: {{ rootfs: {file} }}\n");

        Assert.That(archive.Layer(0).Select(m => m.Name), Does.Contain($"etc/{new string('d', 120)}/{new string('f', 150)}").And.Contain("etc/data.bin").And.Contain("etc/link"));
    }

    [Test]
    public async Task A_rootfs_written_by_Python_tarfile_in_PAX_format_is_read()
    {
        using var temp = new TempDirectory();
        var script = temp.WriteFile("make.py", """
            import io, tarfile
            with tarfile.open("rootfs.tar.gz", "w:gz", format=tarfile.PAX_FORMAT) as t:
                for name, data in [("srv/" + "x" * 300, b"pax\n"), ("srv/\u00e9t\u00e9", b"utf-8\n")]:
                    info = tarfile.TarInfo(name)
                    info.size = len(data)
                    info.mtime = 1700000000.25
                    info.uid = 3_000_000
                    info.pax_headers = {"SCHILY.xattr.user.note": "kept"}
                    t.addfile(info, io.BytesIO(data))
            """);
        Run(temp.Path, "python3", script);

        var (_, archive) = await RecipeBuild.BuildAsync(temp, "image: example/python\nbase: { rootfs: rootfs.tar.gz }\n");

        Assert.That(archive.Layer(0).Select(m => m.Name), Does.Contain("srv/" + new string('x', 300)).And.Contain("srv/\u00e9t\u00e9"));
    }

    [TestCase("gnu", TestName = "A GNU tar sparse file (type S) in a rootfs is refused")]
    [TestCase("posix", TestName = "A GNU tar sparse file (PAX 1.0) in a rootfs is refused")]
    public async Task A_sparse_file_written_by_GNU_tar_is_refused(string format)
    {
        using var temp = new TempDirectory();
        var image = temp.Combine("tree", "disk.img");
        Directory.CreateDirectory(Path.GetDirectoryName(image)!);
        using (var file = new FileStream(image, FileMode.Create))
        {
            file.SetLength(1 << 20);
            file.Position = 500_000;
            file.WriteByte((byte)'x');
        }

        Run(temp.Path, "tar", $"--format={format}", "-cSf", temp.Combine("rootfs.tar"), "-C", temp.Combine("tree"), "disk.img");

        var diagnostics = await RecipeBuild.FailAsync(temp, "image: example/sparse\nbase: { rootfs: rootfs.tar }\n", temp.Combine("out", "image.tar"));

        Assert.That(diagnostics.Select(d => d.Code.Id), Is.EqualTo(new[] { "LB2012" }));
        Assert.That(diagnostics[0].Message, Does.Contain("sparse").And.Contain("rootfs.tar"));
        Assert.That(diagnostics[0].Severity, Is.EqualTo(Severity.Error));
    }

    private static void Run(string folder, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { WorkingDirectory = folder, UseShellExecute = false, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        Assert.That(process.WaitForExit(TimeSpan.FromMinutes(1)), Is.True, $"{program} did not finish");
        Assert.That(process.ExitCode, Is.Zero, $"{program} {string.Join(' ', arguments)}: {stderr}");
    }
}
