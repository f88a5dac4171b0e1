using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Reading;

namespace LayerBuilder.Tests.Reading;

/// <summary>
/// The public reader reads LayerBuilder's own archives in both formats, with plain, gzip and zstd layer
/// blobs, gzipped as a whole, and as an OCI layout folder: names, ids, manifest, every config field, every
/// layer's digests, and entries with their kinds, modes (setuid, setgid, sticky), owners, links, devices,
/// xattrs and whiteouts; file contents through a rescan; and validation finds nothing wrong.
/// </summary>
[TestFixture]
public sealed class ReadsOurArchivesTests
{
    private ReaderFixture fixture = null!;

    public enum Shape
    {
        Docker,
        Oci,
        OciGzip,
        OciZstd,
        DockerGzippedWhole,
        OciLayoutFolder,
    }

    [OneTimeSetUp]
    public void CreateFixture() => fixture = ReaderFixture.Create();

    [OneTimeTearDown]
    public void RemoveFixture() => fixture.Dispose();

    [TestCase(Shape.Docker)]
    [TestCase(Shape.Oci)]
    [TestCase(Shape.OciGzip)]
    [TestCase(Shape.OciZstd)]
    [TestCase(Shape.DockerGzippedWhole)]
    [TestCase(Shape.OciLayoutFolder)]
    public async Task ReadsNamesConfigLayersAndEntries(Shape shape)
    {
        var (result, path) = await BuildAsync(shape);
        var archive = await ImageArchive.OpenAsync(path);

        Assert.That(archive.Images, Has.Count.EqualTo(1));
        var image = archive.Images[0];
        var oci = shape is not (Shape.Docker or Shape.DockerGzippedWhole);
        Assert.Multiple(() =>
        {
            if (shape != Shape.OciLayoutFolder)
            {
                Assert.That(image.Names, Does.Contain("example/reader:1.0").And.Contain("example/reader:latest"), "manifest.json's RepoTags");
            }

            if (oci)
            {
                Assert.That(image.Names, Does.Contain("docker.io/example/reader:1.0").And.Contain("docker.io/example/reader:latest"), "index.json's names");
                Assert.That(image.Manifest?.Digest, Is.EqualTo(result.ManifestDigest));
                Assert.That(image.Manifest?.MediaType, Is.EqualTo(MediaTypes.ImageManifest));
            }
            else
            {
                Assert.That(image.Manifest, Is.Null, "a classic archive has no manifest blob");
            }

            Assert.That(image.Id, Is.EqualTo(result.ImageId));
            Assert.That(ArchiveCopy.Sha256(image.RawConfig.ToArray()), Is.EqualTo(result.ImageId.ToString()));
            Assert.That(archive.FindImage("example/reader:1.0"), Is.SameAs(image));
            Assert.That(archive.FindImage("docker.io/example/reader:latest"), Is.SameAs(image));
            Assert.That(archive.FindImage("example/reader:2.0"), Is.Null);
        });

        var config = image.Config;
        Assert.Multiple(() =>
        {
            Assert.That(image.Platform, Is.EqualTo(new Platform("linux", "arm64", "v8")));
            Assert.That(config.Created, Is.EqualTo(ReaderFixture.Created));
            Assert.That(config.Config.Entrypoint, Is.EqualTo(new[] { "/app/run" }));
            Assert.That(config.Config.Cmd, Is.EqualTo(new[] { "--serve" }));
            Assert.That(config.Config.Env, Does.Contain("MODE=read"));
            Assert.That(config.Config.User, Is.EqualTo("1000:1000"));
            Assert.That(config.Config.WorkingDir, Is.EqualTo("/app"));
            Assert.That(config.Config.Labels, Is.EqualTo(new Dictionary<string, string> { ["org.example.kind"] = "reader" }));
            Assert.That(config.Config.ExposedPorts, Is.EqualTo(new[] { "8080/tcp" }));
            Assert.That(config.Config.Volumes, Is.EqualTo(new[] { "/data" }));
            Assert.That(config.History.Select(h => h.EmptyLayer), Is.EqualTo(new[] { false, false, false }));
            Assert.That(config.DiffIds, Is.EqualTo(result.Layers.Select(l => l.DiffId)));
        });

        var compression = shape switch { Shape.OciGzip => LayerCompression.Gzip, Shape.OciZstd => LayerCompression.Zstd, _ => LayerCompression.None };
        Assert.That(image.Layers, Has.Count.EqualTo(3));
        foreach (var layer in image.Layers)
        {
            await using var blob = await layer.OpenBlobAsync();
            var (blobDigest, blobSize) = await HashAsync(blob);
            await using var tar = await layer.OpenTarAsync();
            var (tarDigest, _) = await HashAsync(tar);
            Assert.Multiple(() =>
            {
                Assert.That(layer.DiffId, Is.EqualTo(result.Layers[layer.Index].DiffId), $"layer {layer.Index}");
                Assert.That(layer.Compression, Is.EqualTo(compression));
                Assert.That(layer.MediaType, Is.EqualTo(compression switch { LayerCompression.Gzip => MediaTypes.LayerGzip, LayerCompression.Zstd => MediaTypes.LayerZstd, _ => MediaTypes.Layer }));
                Assert.That(blobDigest, Is.EqualTo(layer.Digest.ToString()), "the blob hashes to the layer's digest");
                Assert.That(blobSize, Is.EqualTo(layer.Size), "the blob has the layer's size");
                Assert.That(tarDigest, Is.EqualTo(layer.DiffId.ToString()), "the uncompressed tar hashes to the diff id");
                Assert.That(layer.Digest == layer.DiffId, Is.EqualTo(compression == LayerCompression.None));
            });
        }

        await AssertEntriesAsync(image);
        Assert.That(await archive.ValidateAsync(), Is.Empty, "our own archive is valid");
        Assert.That(await ImageArchive.ValidateAsync(path), Is.Empty);
    }

    [Test]
    public async Task OpenFileReadsContentThroughHardLinksAndIsNullForWhatIsNoFile()
    {
        var (_, path) = await BuildAsync(Shape.OciGzip);
        var layer = (await ImageArchive.OpenAsync(path)).Images[0].Layers[1];

        Assert.That(await TextAsync(await layer.OpenFileAsync("/app/run")), Is.EqualTo("#!/bin/sh\necho run\n"));
        Assert.That(await TextAsync(await layer.OpenFileAsync("app/run-again")), Is.EqualTo("#!/bin/sh\necho run\n"), "a hard link reads as its file");
        Assert.That(await layer.OpenFileAsync("app/missing"), Is.Null);
        Assert.That(await layer.OpenFileAsync("/tmp"), Is.Null, "a folder has no content");
        Assert.That(await layer.OpenFileAsync("usr/bin/run"), Is.Null, "a symlink is not followed: it names a path of the whole image");
    }

    [Test]
    public async Task PublicEntryPointsCheckTheirArguments()
    {
        var (_, path) = await BuildAsync(Shape.Docker);
        var archive = await ImageArchive.OpenAsync(path);
        Assert.Multiple(() =>
        {
            Assert.ThrowsAsync<ArgumentNullException>(() => ImageArchive.OpenAsync(null!));
            Assert.ThrowsAsync<ArgumentException>(() => ImageArchive.OpenAsync(""));
            Assert.ThrowsAsync<ArgumentException>(() => ImageArchive.ValidateAsync(""));
            Assert.Throws<ArgumentException>(() => archive.FindImage(""));
            Assert.ThrowsAsync<ArgumentException>(() => archive.Images[0].Layers[0].OpenFileAsync(""));
        });
    }

    private static async Task AssertEntriesAsync(ArchivedImage image)
    {
        var layers = new List<Dictionary<string, LayerEntryInfo>>();
        foreach (var layer in image.Layers)
        {
            var entries = new Dictionary<string, LayerEntryInfo>(StringComparer.Ordinal);
            await foreach (var entry in layer.ReadEntriesAsync())
            {
                entries.Add(entry.Path, entry);
            }

            layers.Add(entries);
        }

        var (rootfs, app, cleanup) = (layers[0], layers[1], layers[2]);
        Assert.Multiple(() =>
        {
            var device = rootfs["dev/null"];
            Assert.That((device.Kind, device.DeviceMajor, device.DeviceMinor), Is.EqualTo((LayerEntryKind.CharacterDevice, 1, 3)));
            Assert.That(rootfs["etc/passwd"].Xattrs, Is.EqualTo(new Dictionary<string, string> { ["user.note"] = "hello" }));
            Assert.That(rootfs["etc/passwd"].Size, Is.EqualTo("root:x:0:0::/root:/bin/sh\n".Length));

            var run = app["app/run"];
            Assert.That(run.Kind, Is.EqualTo(LayerEntryKind.File));
            Assert.That((int)run.Mode, Is.EqualTo(0b100_111_101_101), "setuid 4755");
            Assert.That((run.Uid, run.Gid), Is.EqualTo((1000, 1000)));
            Assert.That(run.ModificationTime, Is.EqualTo(ReaderFixture.Created));
            Assert.That((int)app["app/shared"].Mode, Is.EqualTo(0b010_111_101_000), "setgid 2750");
            Assert.That(app["tmp"].Kind, Is.EqualTo(LayerEntryKind.Directory));
            Assert.That((int)app["tmp"].Mode, Is.EqualTo(0b001_111_111_111), "sticky 1777");
            Assert.That((app["usr/bin/run"].Kind, app["usr/bin/run"].LinkTarget), Is.EqualTo((LayerEntryKind.Symlink, "/app/run")));
            Assert.That((app["app/run-again"].Kind, app["app/run-again"].LinkTarget), Is.EqualTo((LayerEntryKind.HardLink, "app/run")));

            var whiteout = cleanup["etc/.wh.old.conf"];
            Assert.That((whiteout.Kind, whiteout.WhiteoutTarget), Is.EqualTo((LayerEntryKind.Whiteout, "etc/old.conf")));
        });
    }

    private async Task<(BuildResult Result, string Path)> BuildAsync(Shape shape)
    {
        var name = $"{shape}.tar".ToLowerInvariant();
        var built = shape switch
        {
            Shape.Docker => await fixture.BuildAsync(name, ArchiveFormat.Docker),
            Shape.OciGzip => await fixture.BuildAsync(name, ArchiveFormat.Oci, LayerCompression.Gzip),
            Shape.OciZstd => await fixture.BuildAsync(name, ArchiveFormat.Oci, LayerCompression.Zstd),
            Shape.DockerGzippedWhole => await fixture.BuildAsync(name + ".gz", ArchiveFormat.Docker),
            _ => await fixture.BuildAsync(name, ArchiveFormat.Oci),
        };
        if (shape == Shape.DockerGzippedWhole)
        {
            using var file = File.OpenRead(built.Path);
            Assert.That((file.ReadByte(), file.ReadByte()), Is.EqualTo((0x1F, 0x8B)), "the whole archive is gzip");
        }

        if (shape != Shape.OciLayoutFolder)
        {
            return built;
        }

        var layout = Path.Combine(fixture.Folder, "layout");
        Directory.CreateDirectory(layout);
        await TarFile.ExtractToDirectoryAsync(built.Path, layout, overwriteFiles: true);
        File.Delete(Path.Combine(layout, "manifest.json")); // a layout folder as skopeo and umoci write it: index.json only
        return (built.Result, layout);
    }

    private static async Task<(string Digest, long Size)> HashAsync(Stream stream)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long size = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            size += read;
        }

        return ("sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset()), size);
    }

    private static async Task<string?> TextAsync(Stream? stream)
    {
        if (stream is null)
        {
            return null;
        }

        await using (stream)
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return await reader.ReadToEndAsync();
        }
    }
}
