using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Cache;
using LayerBuilder.Diagnostics;
using LayerBuilder.Layers;
using LayerBuilder.Recipe;
using LayerBuilder.Registry;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Registry;

/// <summary>
/// Pulls of layers decompressed on a second thread while they download (docs/decisions.md D75), from a
/// real registry the images are put into blob by blob: a layer of several times the hand-over pipe's bound
/// arrives whole; a blob that matches its digest but is no gzip is LB5016 and a gzip whose tar is not the
/// config's diff id is LB5008, as before the overlap, leaving nothing in the cache; a layer that matches
/// both digests but is no tar is refused (once) only when the plan reads the base. When nothing reads the
/// tar (D79), such blobs are copied as they are, and refused, with nothing stored, by the first build that
/// makes their tar.
/// </summary>
[NonParallelizable]
public sealed class RegistryPullUnpackTests : LoopbackRegistryTests
{
    private const int LayerFileLength = 9 << 20;

    [Test]
    public async Task A_layer_larger_than_the_hand_over_bound_arrives_whole_and_both_its_forms_are_kept()
    {
        var content = RandomNumberGenerator.GetBytes(LayerFileLength);
        var tar = LayerTar(content);
        var blob = Gzip(tar);
        await PushImageAsync("unpack/large:1", blob, Digest(tar));
        using var folder = new TempDirectory();
        var cache = new LayerCache(folder.Combine("cache"));

        var result = await RegistryPullTests.BuildAsync(folder, $"{Registry.Host}/unpack/large:1", cache);

        var archive = ImageArchive.Read(result.OutputPath);
        Assert.That(result.Layers[0].DiffId.ToString(), Is.EqualTo(Digest(tar)));
        Assert.That(archive.Layer(0).Single(m => m.Name == "data/blob.bin").Content, Is.EqualTo(content));
        Assert.That(File.ReadAllBytes(Path.Combine(cache.BlobFolder, Digest(blob)["sha256:".Length..])), Is.EqualTo(blob), "the compressed blob is kept as the registry sent it");
    }

    [Test]
    public async Task A_blob_that_matches_its_digest_but_is_no_gzip_is_unreadable_and_nothing_is_cached()
    {
        // gzip's magic bytes, then bytes no inflater takes: the decompressor stops at once, the download goes on.
        var blob = new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0xff }.Concat(RandomNumberGenerator.GetBytes(LayerFileLength)).ToArray();
        await PushImageAsync("unpack/garbage:1", blob, "sha256:" + new string('0', 64));
        using var folder = new TempDirectory();
        var cache = new LayerCache(folder.Combine("cache"));

        var error = await RegistryPullTests.FailAsync(folder, $"{Registry.Host}/unpack/garbage:1", cache);

        Assert.That(error.Code, Is.EqualTo(DiagnosticCodes.BaseLayerUnreadable));
        Assert.That(error.Message, Does.Contain(Digest(blob)).And.Contain("matches its digest"));
        AssertNothingCached(cache);
    }

    [Test]
    public async Task A_gzip_whose_tar_is_not_the_config_diff_id_is_a_mismatch_and_nothing_is_cached()
    {
        var tar = LayerTar(RandomNumberGenerator.GetBytes(LayerFileLength));
        var claimed = "sha256:" + new string('a', 64);
        await PushImageAsync("unpack/wrongdiff:1", Gzip(tar), claimed);
        using var folder = new TempDirectory();
        var cache = new LayerCache(folder.Combine("cache"));

        var error = await RegistryPullTests.FailAsync(folder, $"{Registry.Host}/unpack/wrongdiff:1", cache);

        Assert.That(error.Code, Is.EqualTo(DiagnosticCodes.RegistryDigestMismatch));
        Assert.That(error.Message, Does.Contain(Digest(tar)).And.Contain(claimed));
        AssertNothingCached(cache);
    }

    [Test]
    public async Task A_layer_that_is_no_tar_is_refused_once_when_a_step_reads_the_base_and_copied_as_it_is_when_nothing_does()
    {
        var notATar = RandomNumberGenerator.GetBytes(1 << 20);
        await PushImageAsync("unpack/notatar:1", Gzip(notATar), Digest(notATar));
        using var folder = new TempDirectory();
        var reference = $"{Registry.Host}/unpack/notatar:1";

        var error = await RegistryPullTests.FailAsync(folder, reference, new LayerCache(folder.Combine("cache")));
        var recipe = RecipeParser.Parse($"image: example/retagged\nbase: \"{reference}\"\n", "layerbuild.yml", folder.Path);
        await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, folder.Combine("out", "retagged.tar")) with
        {
            Cache = new LayerCache(folder.Combine("cache")),
            RegistrySettings = RegistryPullTests.Isolated(folder),
        });

        Assert.That(error.Code, Is.EqualTo(DiagnosticCodes.BaseImageInvalid), "FailAsync checked it is the only diagnostic");
        var retagged = ImageArchive.Read(folder.Combine("out", "retagged.tar"));
        Assert.That(retagged.Bytes(retagged.LayerPaths[0]), Is.EqualTo(notATar), "the layer matches its digests; with no step it is copied as skopeo would copy it");
    }

    [Test]
    public async Task A_blob_whose_tar_is_not_the_config_diff_id_is_copied_as_it_is_by_a_blob_output_and_refused_when_its_tar_is_first_read()
    {
        var tar = LayerTar(RandomNumberGenerator.GetBytes(LayerFileLength));
        var blob = Gzip(tar);
        var claimed = "sha256:" + new string('b', 64);
        await PushImageAsync("unpack/deferredwrongdiff:1", blob, claimed);
        using var folder = new TempDirectory();
        var cache = new LayerCache(folder.Combine("cache"));
        var reference = $"{Registry.Host}/unpack/deferredwrongdiff:1";

        // Nothing reads the tar: the blob matches its digest and is stored as it is, as skopeo copies it (D79).
        var copied = await BuildBaseAloneAsync(folder, reference, cache, "copied.tar", ArchiveFormat.Oci, LayerCompression.Gzip);
        var archive = ImageArchive.Read(copied.OutputPath);
        Assert.That(archive.Bytes($"blobs/sha256/{Digest(blob)["sha256:".Length..]}"), Is.EqualTo(blob));

        // The first build that reads the tar checks it, and a second one checks it again: nothing was trusted.
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var error = Assert.ThrowsAsync<LayerBuildException>(() => BuildBaseAloneAsync(folder, reference, cache, "docker.tar", ArchiveFormat.Docker, LayerCompression.None, offline: true))!;
            Assert.That(error.Diagnostics.Single().Code, Is.EqualTo(DiagnosticCodes.RegistryDigestMismatch), $"attempt {attempt}");
            Assert.That(error.Diagnostics.Single().Message, Does.Contain(Digest(tar)).And.Contain(claimed).And.Contain(Digest(blob)));
            Assert.That(File.Exists(folder.Combine("out", "docker.tar")), Is.False, "no archive");
            Assert.That(PulledBlobStore.InCache(cache).Find(LayerBuilder.Image.Digest.Parse(claimed)), Is.Null, "no tar is stored under the claimed diff id");
            Assert.That(Directory.GetFiles(Path.Combine(cache.Root, "tmp")), Is.Empty, "no temporary file is left");
        }
    }

    [Test]
    public async Task A_blob_that_is_no_gzip_is_copied_by_a_blob_output_and_unreadable_when_its_tar_is_first_read()
    {
        var blob = new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0xff }.Concat(RandomNumberGenerator.GetBytes(1 << 20)).ToArray();
        await PushImageAsync("unpack/deferredgarbage:1", blob, "sha256:" + new string('c', 64));
        using var folder = new TempDirectory();
        var cache = new LayerCache(folder.Combine("cache"));
        var reference = $"{Registry.Host}/unpack/deferredgarbage:1";

        await BuildBaseAloneAsync(folder, reference, cache, "copied.tar", ArchiveFormat.Oci, LayerCompression.Gzip);
        var error = Assert.ThrowsAsync<LayerBuildException>(() => BuildBaseAloneAsync(folder, reference, cache, "docker.tar", ArchiveFormat.Docker, LayerCompression.None, offline: true))!;

        Assert.That(error.Diagnostics.Single().Code, Is.EqualTo(DiagnosticCodes.BaseLayerUnreadable));
        Assert.That(error.Diagnostics.Single().Message, Does.Contain(Digest(blob)).And.Contain("matches its digest").And.Not.Contain("\n"));
        Assert.That(File.Exists(folder.Combine("out", "docker.tar")), Is.False, "no archive");
        Assert.That(Directory.GetFiles(Path.Combine(cache.Root, "tmp")), Is.Empty, "no temporary file is left");
    }

    private async Task<BuildResult> BuildBaseAloneAsync(TempDirectory folder, string reference, LayerCache cache, string output, ArchiveFormat format, LayerCompression compression, bool offline = false)
    {
        var recipe = RecipeParser.Parse($"image: example/retagged\nbase: \"{reference}\"\n", "layerbuild.yml", folder.Path);
        return await ImageBuilder.BuildAsync(BuildRequest.ToFile(recipe, folder.Combine("out", output)) with
        {
            Cache = cache,
            Format = format,
            Compression = compression,
            Offline = offline,
            RegistrySettings = RegistryPullTests.Isolated(folder),
        });
    }

    private static void AssertNothingCached(LayerCache cache)
    {
        Assert.That(RegistryPullTests.LayerTarsIn(cache), Is.Empty, "neither the tar nor the blob of the failed pull is in the cache");
        var temp = Path.Combine(cache.Root, "tmp");
        Assert.That(Directory.Exists(temp) ? Directory.GetFiles(temp) : [], Is.Empty);
    }

    /// <summary>Puts a one-layer image into the registry by the distribution API: the blob as given (the
    /// registry checks only its digest), a config claiming <paramref name="diffId"/>, an OCI manifest.</summary>
    private async Task PushImageAsync(string repositoryTag, byte[] layerBlob, string diffId)
    {
        var (repository, tag) = (repositoryTag[..repositoryTag.LastIndexOf(':')], repositoryTag[(repositoryTag.LastIndexOf(':') + 1)..]);
        var config = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject(),
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(diffId) },
        }.ToJsonString());
        var manifest = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = Digest(config), ["size"] = config.Length },
            ["layers"] = new JsonArray(new JsonObject { ["mediaType"] = "application/vnd.oci.image.layer.v1.tar+gzip", ["digest"] = Digest(layerBlob), ["size"] = layerBlob.Length }),
        }.ToJsonString());

        using var http = new HttpClient { BaseAddress = new Uri($"http://{Registry.Host}/v2/{repository}/") };
        foreach (var blob in new[] { config, layerBlob })
        {
            using var start = await http.PostAsync("blobs/uploads/", null);
            start.EnsureSuccessStatusCode();
            var location = start.Headers.Location!;
            var upload = location.IsAbsoluteUri ? location : new Uri(http.BaseAddress!, location);
            var separator = upload.Query.Length > 0 ? "&" : "?";
            using var body = new ByteArrayContent(blob);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var put = await http.PutAsync(new Uri(upload + separator + "digest=" + Uri.EscapeDataString(Digest(blob))), body);
            put.EnsureSuccessStatusCode();
        }

        using var manifestBody = new ByteArrayContent(manifest);
        manifestBody.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        using var response = await http.PutAsync("manifests/" + tag, manifestBody);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A layer tar of one folder and one file of <paramref name="content"/>.</summary>
    private static byte[] LayerTar(byte[] content)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "data/") { Mode = (UnixFileMode)0b111_101_101 });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "data/blob.bin") { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(content) });
        }

        return tar.ToArray();
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return compressed.ToArray();
    }

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
