using System.IO.Compression;
using System.Text.Json;
using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Cache;
using LayerBuilder.Diagnostics;
using LayerBuilder.Layers;
using LayerBuilder.Recipe;
using LayerBuilder.Registry;
using LayerBuilder.Testing;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Registry;

/// <summary>
/// An <c>oci</c> output with compressed layers on a registry base (docs/decisions.md D78): the base's layer is
/// stored as the registry's own blob (same bytes, same digest), with or without a step above it and with or
/// without a cache; another compression than the registry's compresses it afresh; a damaged kept blob is
/// refused before the archive exists. skopeo reads the archive and its layers decompress to the config's diff ids.
/// When nothing reads the base's tar, it is not made until a later build needs it, from the kept blob (D79).
/// </summary>
[NonParallelizable]
public sealed class RegistryOciOutputTests : LoopbackRegistryTests
{
    protected override async Task PushImagesAsync()
    {
        await RegistryImages.PushBaseAsync(Registry, Images.Path, "team/base:1");
        await RegistryImages.PushTwoPlatformIndexAsync(Registry, Images.Path, "team/multi:1");
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task A_gzip_oci_output_stores_the_base_layer_as_the_registry_blob_and_skopeo_reads_it(bool withStep)
    {
        using var folder = new TempDirectory();
        var (digest, size) = RegistryLayer();
        var result = await BuildAsync(folder, withStep, LayerCompression.Gzip, new LayerCache(folder.Combine("cache")));

        var layers = OutputLayers(result.OutputPath);
        Assert.That(layers, Has.Count.EqualTo(withStep ? 2 : 1));
        Assert.That(layers[0].Digest, Is.EqualTo(digest), "the registry's blob, not a recompression");
        Assert.That(layers[0].Size, Is.EqualTo(size));
        Assert.That(layers[0].MediaType, Is.EqualTo("application/vnd.oci.image.layer.v1.tar+gzip"));
        var archive = ImageArchive.Read(result.OutputPath);
        Assert.That(archive.Bytes($"blobs/sha256/{digest["sha256:".Length..]}"), Is.EqualTo(await File.ReadAllBytesAsync(Registry.BlobData(digest))), "byte for byte");
        if (withStep)
        {
            Assert.That(layers[1].MediaType, Is.EqualTo("application/vnd.oci.image.layer.v1.tar+gzip"));
        }

        await AssertSkopeoCopiesWithDiffIdsAsync(folder, result.OutputPath, LayerCompression.Gzip);
    }

    [Test]
    public async Task The_output_is_the_same_with_and_without_a_cache()
    {
        using var folder = new TempDirectory();
        var cached = await BuildAsync(folder, withStep: true, LayerCompression.Gzip, new LayerCache(folder.Combine("cache")), "cached.tar");
        var uncached = await BuildAsync(folder, withStep: true, LayerCompression.Gzip, cache: null, "uncached.tar");

        Assert.That(uncached.ManifestDigest, Is.EqualTo(cached.ManifestDigest));
        Assert.That(OutputLayers(uncached.OutputPath)[0].Digest, Is.EqualTo(RegistryLayer().Digest));
    }

    [Test]
    public async Task A_zstd_oci_output_on_a_gzip_base_compresses_the_layer_afresh()
    {
        using var folder = new TempDirectory();
        var result = await BuildAsync(folder, withStep: false, LayerCompression.Zstd, new LayerCache(folder.Combine("cache")));

        var layers = OutputLayers(result.OutputPath);
        Assert.That(layers[0].Digest, Is.Not.EqualTo(RegistryLayer().Digest));
        Assert.That(layers[0].MediaType, Is.EqualTo("application/vnd.oci.image.layer.v1.tar+zstd"));
        await AssertSkopeoCopiesWithDiffIdsAsync(folder, result.OutputPath, LayerCompression.Zstd);
    }

    [Test]
    public async Task A_kept_blob_damaged_on_disk_is_pulled_afresh_online_and_refused_offline_before_the_archive_exists()
    {
        using var folder = new TempDirectory();
        var cache = new LayerCache(folder.Combine("cache"));
        await BuildAsync(folder, withStep: false, LayerCompression.Gzip, cache, "first.tar");
        var store = PulledBlobStore.InCache(cache);
        var digest = LayerBuilder.Image.Digest.Parse(RegistryLayer().Digest);

        // Online: the damage is found (D61) before any byte of the blob goes anywhere, and the blob pulled again.
        Damage(store.Find(digest)!);
        var gets = Registry.CountRequests("GET", "^/v2/team/base/blobs/");
        var again = await BuildAsync(folder, withStep: false, LayerCompression.Gzip, cache, "second.tar");
        Assert.That(Registry.CountRequests("GET", "^/v2/team/base/blobs/") - gets, Is.EqualTo(1), "the damaged blob is pulled again");
        Assert.That(OutputLayers(again.OutputPath)[0].Digest, Is.EqualTo(digest.ToString()));
        var archive = ImageArchive.Read(again.OutputPath);
        Assert.That(archive.Bytes($"blobs/sha256/{digest.Hex}"), Is.EqualTo(await File.ReadAllBytesAsync(Registry.BlobData(digest.ToString()))), "the sound bytes");

        // Offline: nothing can replace it, so the build fails with LB5060 and removes it.
        Damage(store.Find(digest)!);
        var error = Assert.ThrowsAsync<LayerBuildException>(() => BuildAsync(folder, withStep: false, LayerCompression.Gzip, cache, "third.tar", offline: true))!;
        Assert.That(error.Diagnostics.Single().Code, Is.EqualTo(DiagnosticCodes.PulledBlobDamaged));
        Assert.That(File.Exists(folder.Combine("out", "third.tar")), Is.False, "no archive");
        Assert.That(store.Find(digest), Is.Null, "the damaged blob is removed");
    }

    private static void Damage(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = 100;
        var b = stream.ReadByte();
        stream.Position = 100;
        stream.WriteByte((byte)(b ^ 0xFF));
    }

    [Test]
    public async Task The_base_alone_into_a_gzip_oci_output_keeps_the_blob_and_makes_no_tar_until_an_offline_docker_archive_needs_it()
    {
        using var folder = new TempDirectory();
        var cache = new LayerCache(folder.Combine("cache"));
        var store = PulledBlobStore.InCache(cache);
        var blob = LayerBuilder.Image.Digest.Parse(RegistryLayer().Digest);

        var first = await BuildAsync(folder, withStep: false, LayerCompression.Gzip, cache, "first.tar");
        var diffId = first.Layers[0].DiffId;
        Assert.That(OutputLayers(first.OutputPath)[0].Digest, Is.EqualTo(blob.ToString()));
        Assert.That(store.Find(blob), Is.Not.Null, "the blob is kept");
        Assert.That(store.Find(diffId), Is.Null, "no tar was made: nothing read it (D79)");
        Assert.That(first.Layers[0].Size, Is.Null, "the tar's length is not known without making it");

        var gets = Registry.CountRequests("GET", "^/v2/team/base/blobs/");
        var docker = await BuildAsync(folder, withStep: false, LayerCompression.None, cache, "docker.tar", ArchiveFormat.Docker, offline: true);

        Assert.That(Registry.CountRequests("GET", "^/v2/team/base/blobs/"), Is.EqualTo(gets), "the tar is made from the kept blob");
        var tar = store.Find(diffId)!;
        Assert.That(tar, Is.Not.Null, "and stored");
        Assert.That(await PulledBlobStore.HashFileAsync(tar, CancellationToken.None), Is.EqualTo(diffId), "checked against its diff id");
        Assert.That(docker.Layers[0].Size, Is.EqualTo(new FileInfo(tar).Length));
        var archive = ImageArchive.Read(docker.OutputPath);
        Assert.That(archive.Bytes(archive.LayerPaths[0]), Is.EqualTo(await File.ReadAllBytesAsync(tar)), "the docker archive holds the tar");
    }

    [Test]
    public async Task A_synchronous_reader_of_a_deferred_tar_gets_it_made_once_and_checked()
    {
        using var folder = new TempDirectory();
        var cache = new LayerCache(folder.Combine("cache"));
        var first = await BuildAsync(folder, withStep: false, LayerCompression.Gzip, cache, "first.tar");
        var store = PulledBlobStore.InCache(cache);
        var (digest, size) = RegistryLayer();
        var diffId = first.Layers[0].DiffId;
        var kept = PulledLayerBlob.Kept(store, LayerBuilder.Image.Digest.Parse(digest), size, "application/vnd.oci.image.layer.v1.tar+gzip", diffId, "team/base")!;
        var tar = new PulledLayerTar(store, kept, "the test's layer", new SourcePosition("layerbuild.yml", 2, 1), CancellationToken.None);
        Assert.That(tar.KnownSize, Is.Null, "not made yet");

        // Two synchronous readers at once (the plan's index, an archive writer): one tar is made, both get it.
        var length = Task.Run(() => tar.Size);
        var file = Task.Run(() => tar.TarFile!.Value.Path);
        await Task.WhenAll(length, file);
        var path = store.Find(diffId)!;
        Assert.That(await file, Is.EqualTo(path));
        Assert.That(await length, Is.EqualTo(new FileInfo(path).Length));
        Assert.That(tar.KnownSize, Is.EqualTo(new FileInfo(path).Length));
        Assert.That(await PulledBlobStore.HashFileAsync(path, CancellationToken.None), Is.EqualTo(diffId));
        Assert.That(Directory.GetFiles(Path.Combine(cache.Root, "tmp")), Is.Empty, "one tar was made: no second temporary file left behind");
    }

    [Test]
    public async Task A_step_on_a_base_whose_tar_was_never_made_reads_the_tar_made_offline_from_the_kept_blob()
    {
        using var folder = new TempDirectory();
        var cache = new LayerCache(folder.Combine("cache"));
        var first = await BuildAsync(folder, withStep: false, LayerCompression.Gzip, cache, "first.tar");
        Assert.That(PulledBlobStore.InCache(cache).Find(first.Layers[0].DiffId), Is.Null, "the first build made no tar");

        var derived = await BuildAsync(folder, withStep: true, LayerCompression.None, cache, "derived.tar", ArchiveFormat.Docker, offline: true);

        var archive = ImageArchive.Read(derived.OutputPath);
        Assert.That(derived.Layers, Has.Count.EqualTo(2));
        Assert.That(derived.Layers[0].DiffId, Is.EqualTo(first.Layers[0].DiffId));
        Assert.That(archive.Layer(1).Select(m => m.Name), Does.Contain("app/hello.txt"), "the step's layer is planned over the base's tar");
    }

    [Test]
    public async Task Each_platform_of_a_several_platform_oci_output_stores_its_base_layer_as_the_registry_blob()
    {
        using var folder = new TempDirectory();
        var text = $"""
            image: example/derived
            platforms: [linux/amd64, linux/arm64/v8]
            base: "{Registry.Host}/team/multi:1"

            """;
        var recipe = RecipeParser.Parse(text, "layerbuild.yml", folder.Path);
        var request = BuildRequest.ToFile(recipe, folder.Combine("out", "multi.tar")) with
        {
            Cache = new LayerCache(folder.Combine("cache")),
            Format = ArchiveFormat.Oci,
            Compression = LayerCompression.Gzip,
            RegistrySettings = RegistryPullTests.Isolated(folder),
        };
        var result = await ImageBuilder.BuildAsync(request);

        var archive = ImageArchive.Read(result.OutputPath);
        var indexDigest = archive.Json("index.json").GetProperty("manifests")[0].GetProperty("digest").GetString()!;
        var manifests = archive.Json($"blobs/sha256/{indexDigest["sha256:".Length..]}").GetProperty("manifests").EnumerateArray()
            .Select(m => m.GetProperty("digest").GetString()!).ToList();
        Assert.That(manifests, Has.Count.EqualTo(2));
        foreach (var manifest in manifests)
        {
            var layer = archive.Json($"blobs/sha256/{manifest["sha256:".Length..]}").GetProperty("layers")[0].GetProperty("digest").GetString()!;
            Assert.That(File.Exists(Registry.BlobData(layer)), Is.True, $"{layer} is a blob the registry holds, not a recompression");
            Assert.That(archive.Bytes($"blobs/sha256/{layer["sha256:".Length..]}"), Is.EqualTo(await File.ReadAllBytesAsync(Registry.BlobData(layer))));
        }
    }

    private (string Digest, long Size) RegistryLayer()
    {
        var manifest = JsonDocument.Parse(File.ReadAllBytes(ManifestBlob())).RootElement;
        var layer = manifest.GetProperty("layers")[0];
        return (layer.GetProperty("digest").GetString()!, layer.GetProperty("size").GetInt64());
    }

    /// <summary>The manifest the registry serves for <c>team/base:1</c>, read from its storage.</summary>
    private string ManifestBlob()
    {
        var link = Path.Combine(Registry.Storage, "docker", "registry", "v2", "repositories", "team", "base", "_manifests", "tags", "1", "current", "link");
        return Registry.BlobData(File.ReadAllText(link).Trim());
    }

    private static List<(string Digest, long Size, string MediaType)> OutputLayers(string path)
    {
        var archive = ImageArchive.Read(path);
        var manifestDigest = archive.Json("index.json").GetProperty("manifests")[0].GetProperty("digest").GetString()!;
        var manifest = archive.Json($"blobs/sha256/{manifestDigest["sha256:".Length..]}");
        return manifest.GetProperty("layers").EnumerateArray()
            .Select(l => (l.GetProperty("digest").GetString()!, l.GetProperty("size").GetInt64(), l.GetProperty("mediaType").GetString()!))
            .ToList();
    }

    /// <summary>skopeo copies the archive to a <c>dir:</c> (checking every blob's digest as it goes); each
    /// layer there decompresses to the diff id the config lists for it.</summary>
    private static async Task AssertSkopeoCopiesWithDiffIdsAsync(TempDirectory folder, string archive, LayerCompression compression)
    {
        var copy = folder.Combine("skopeo-dir");
        await ProcessRunner.RunCheckedAsync("skopeo", ["copy", "-q", $"oci-archive:{archive}", $"dir:{copy}"]);
        var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(copy, "manifest.json"))).RootElement;
        var configDigest = manifest.GetProperty("config").GetProperty("digest").GetString()!;
        var config = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(copy, configDigest["sha256:".Length..]))).RootElement;
        var diffIds = config.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(d => d.GetString()).ToList();
        var layers = manifest.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToList();
        Assert.That(layers, Has.Count.EqualTo(diffIds.Count));
        for (var i = 0; i < layers.Count; i++)
        {
            await using var blob = File.OpenRead(Path.Combine(copy, layers[i]["sha256:".Length..]));
            await using Stream tar = compression == LayerCompression.Gzip ? new GZipStream(blob, CompressionMode.Decompress) : new ZstdSharp.DecompressionStream(blob);
            using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await tar.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }

            Assert.That("sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()), Is.EqualTo(diffIds[i]), $"layer {i + 1} decompresses to its diff id");
        }
    }

    private async Task<BuildResult> BuildAsync(TempDirectory folder, bool withStep, LayerCompression compression, LayerCache? cache, string output = "image.tar",
        ArchiveFormat format = ArchiveFormat.Oci, bool offline = false)
    {
        var text = $"""
            image: example/derived
            base: "{Registry.Host}/team/base:1"

            """ + (withStep ? "steps:\n  - name: app\n    files:\n      - { path: /app/hello.txt, content: \"hello\\n\" }\n" : "");
        var recipe = RecipeParser.Parse(text, "layerbuild.yml", folder.Path);
        var request = BuildRequest.ToFile(recipe, folder.Combine("out", output)) with
        {
            Cache = cache,
            Format = format,
            Compression = compression,
            Offline = offline,
            RegistrySettings = RegistryPullTests.Isolated(folder),
        };
        return await ImageBuilder.BuildAsync(request);
    }
}
