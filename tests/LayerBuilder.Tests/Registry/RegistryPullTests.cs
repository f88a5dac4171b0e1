using System.Diagnostics;
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
/// <c>base: REFERENCE</c> against a real registry (Debian's docker-registry on 127.0.0.1, plain HTTP): by
/// tag, by digest, out of a two-platform index; what a second build asks the registry (counted in its access
/// log); <c>--offline</c>; and the failures a user meets, each one line with its code, leaving no archive and
/// nothing in the cache a later build would take.
/// </summary>
[NonParallelizable]
public sealed class RegistryPullTests : LoopbackRegistryTests
{
    private string baseDigest = "";
    private string indexDigest = "";

    protected override async Task PushImagesAsync()
    {
        baseDigest = await RegistryImages.PushBaseAsync(Registry, Images.Path, "team/base:1");
        indexDigest = await RegistryImages.PushTwoPlatformIndexAsync(Registry, Images.Path, "team/multi:1");
    }

    [Test]
    public async Task A_base_pulled_by_tag_gives_its_layer_config_and_history_and_the_step_goes_on_top()
    {
        using var folder = new TempDirectory();
        var result = await BuildAsync(folder, $"{Registry.Host}/team/base:1", new LayerCache(folder.Combine("cache")));
        var archive = ImageArchive.Read(result.OutputPath);

        Assert.That(result.Layers, Has.Count.EqualTo(2));
        Assert.That(archive.Layer(0).Select(m => m.Name), Does.Contain(RegistryImages.BaseFile.TrimStart('/')));
        Assert.That(archive.Layer(1).Select(m => m.Name), Does.Contain("app/hello.txt"));
        var config = archive.ConfigDocument.GetProperty("config");
        var env = config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.That(env, Does.Contain("BASE_VAR=from-base").And.Contain("APP=1"));
        Assert.That(config.GetProperty("Labels").GetProperty("base.label").GetString(), Is.EqualTo("yes"));
        Assert.That(archive.ConfigDocument.GetProperty("history").GetArrayLength(), Is.EqualTo(2));
        Assert.That(result.Layers[0].CreatedBy, Does.Contain($"{Registry.Host}/team/base:1"));
        var origin = PulledBlobStore.InCache(new LayerCache(folder.Combine("cache"))).FindOrigin(result.Layers[0].DiffId);
        Assert.That(origin?.Repository, Is.EqualTo($"{Registry.Host}/team/base"), "a push can mount the pulled blob");
        Assert.That(Registry.CountRequests("GET", $"^/v2/team/base/blobs/{origin!.Value.Digest}$"), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task A_digest_wins_over_the_tag_written_with_it()
    {
        using var folder = new TempDirectory();
        // The tag does not exist in the registry: only the digest is asked for.
        var result = await BuildAsync(folder, $"{Registry.Host}/team/base:no-such-tag@{baseDigest}", new LayerCache(folder.Combine("cache")));
        var byTag = await BuildAsync(folder, $"{Registry.Host}/team/base:1", null, output: "by-tag.tar");

        Assert.That(result.Layers[0].DiffId, Is.EqualTo(byTag.Layers[0].DiffId));
        Assert.That(result.ImageId, Is.EqualTo(byTag.ImageId));
    }

    [TestCase("linux/amd64", "base for linux/amd64")]
    [TestCase("linux/arm64/v8", "base for linux/arm64/v8")]
    public async Task The_recipe_platform_picks_the_image_out_of_an_index(string platform, string expected)
    {
        using var folder = new TempDirectory();
        var result = await BuildAsync(folder, $"{Registry.Host}/team/multi:1", new LayerCache(folder.Combine("cache")), platform: platform);
        var archive = ImageArchive.Read(result.OutputPath);

        var baseFile = archive.Layer(0).Single(m => m.Name == RegistryImages.BaseFile.TrimStart('/'));
        Assert.That(System.Text.Encoding.UTF8.GetString(baseFile.Content), Is.EqualTo(expected + "\n"));
        Assert.That(archive.ConfigDocument.GetProperty("architecture").GetString(), Is.EqualTo(platform.Split('/')[1]));
    }

    [Test]
    public async Task A_platform_the_index_lacks_is_an_error_listing_the_platforms_there()
    {
        using var folder = new TempDirectory();
        var error = await FailAsync(folder, $"{Registry.Host}/team/multi:1", platform: "linux/s390x");

        Assert.That(error.Code, Is.EqualTo(DiagnosticCodes.PlatformNotInIndex));
        Assert.That(error.Message, Does.Contain("linux/s390x").And.Contain("linux/amd64").And.Contain("linux/arm64/v8"));
    }

    [Test]
    public async Task A_second_build_asks_for_one_manifest_with_a_tag_base_and_for_nothing_with_a_digest_base()
    {
        using var folder = new TempDirectory();
        var cache = new LayerCache(folder.Combine("cache"));
        var byTag = $"{Registry.Host}/team/base:1";
        await BuildAsync(folder, byTag, cache, output: "first.tar");
        var manifests = Registry.CountRequests("GET", "^/v2/team/base/manifests/");
        var blobs = Registry.CountRequests("GET", "^/v2/team/base/blobs/");

        await BuildAsync(folder, byTag, cache, output: "second.tar");
        Assert.That(Registry.CountRequests("GET", "^/v2/team/base/manifests/") - manifests, Is.EqualTo(1), "a tag is resolved once per build");
        Assert.That(Registry.CountRequests("GET", "^/v2/team/base/blobs/"), Is.EqualTo(blobs), "no blob is fetched again");

        var all = Registry.CountRequests("GET", "^/v2/") + Registry.CountRequests("HEAD", "^/v2/");
        await BuildAsync(folder, $"{Registry.Host}/team/base@{baseDigest}", cache, output: "third.tar");
        Assert.That(Registry.CountRequests("GET", "^/v2/") + Registry.CountRequests("HEAD", "^/v2/"), Is.EqualTo(all), "a cached digest base needs no request at all");
    }

    [Test]
    public async Task A_pulled_layer_keeps_its_compressed_blob_and_a_rebuild_trusts_the_checked_files_until_one_changes_then_makes_the_tar_again_from_the_blob()
    {
        using var folder = new TempDirectory();
        var cache = new LayerCache(folder.Combine("cache"));
        var first = await BuildAsync(folder, $"{Registry.Host}/team/base:1", cache, output: "first.tar");

        var manifest = System.Text.Json.JsonDocument.Parse(await HttpGetAsync($"http://{Registry.Host}/v2/team/base/manifests/1"));
        var layer = manifest.RootElement.GetProperty("layers")[0];
        var blobDigest = layer.GetProperty("digest").GetString()!;
        var kept = Path.Combine(cache.Root, "blobs", "sha256", blobDigest["sha256:".Length..]);
        Assert.That(File.Exists(kept), Is.True, "the compressed blob is kept beside the tar (D60)");
        Assert.That(new FileInfo(kept).Length, Is.EqualTo(layer.GetProperty("size").GetInt64()));
        Assert.That("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(kept))), Is.EqualTo(blobDigest));

        // A byte of the stored tar changed in place, its modification time put back: the status-change time
        // still differs from the record, so the file is hashed, found damaged (D61) and made again from the
        // kept blob, which is intact (D79).
        var store = PulledBlobStore.InCache(cache);
        var diffId = first.Layers[0].DiffId;
        var tar = store.Find(diffId)!;
        Assert.That(await store.IsIntactAsync(tar, diffId, CancellationToken.None), Is.True);
        var modified = File.GetLastWriteTimeUtc(tar);
        await using (var stream = new FileStream(tar, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = 600;
            var b = stream.ReadByte();
            stream.Position = 600;
            stream.WriteByte((byte)(b ^ 0xFF));
        }

        File.SetLastWriteTimeUtc(tar, modified);
        Assert.That(await store.IsIntactAsync(tar, diffId, CancellationToken.None), Is.False, "the damage is found though size and mtime are as recorded");

        var blobs = Registry.CountRequests("GET", "^/v2/team/base/blobs/");
        await BuildAsync(folder, $"{Registry.Host}/team/base:1", cache, output: "second.tar");
        Assert.That(Registry.CountRequests("GET", "^/v2/team/base/blobs/") - blobs, Is.EqualTo(0), "the damaged tar is made from the kept blob, not pulled again");
        Assert.That(await PulledBlobStore.HashFileAsync(tar, CancellationToken.None), Is.EqualTo(diffId), "and stored whole");
    }

    [Test]
    public async Task A_kept_blob_damaged_on_disk_is_refused_before_it_is_sent_and_removed()
    {
        using var folder = new TempDirectory();
        var cache = new LayerCache(folder.Combine("cache"));
        var result = await BuildAsync(folder, $"{Registry.Host}/team/base:1", cache);
        var store = PulledBlobStore.InCache(cache);
        var diffId = result.Layers[0].DiffId;
        var blob = LayerBuilder.Registry.PulledLayerBlob.Find(store, diffId, LayerCompression.Gzip);
        Assert.That(blob, Is.Not.Null, "the base layer was pulled as gzip and is kept");
        Assert.That(blob!.OriginPathOn(Registry.Host), Is.EqualTo("team/base"));
        Assert.That(LayerBuilder.Registry.PulledLayerBlob.Find(store, diffId, LayerCompression.Zstd), Is.Null, "a push with zstd compresses afresh");

        var path = store.Find(blob.Digest)!;
        await File.AppendAllTextAsync(path, "x");
        await using (var truncate = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            truncate.SetLength(blob.Size);
            truncate.Position = 0;
            truncate.WriteByte(0);
        }

        var error = Assert.ThrowsAsync<LayerBuildException>(() => blob.OpenBlobAsync())!;
        Assert.That(error.Diagnostics[0].Code, Is.EqualTo(DiagnosticCodes.PulledBlobDamaged));
        Assert.That(error.Diagnostics[0].Message, Does.Contain(blob.Digest.ToString()));
        Assert.That(store.Find(blob.Digest), Is.Null, "the damaged blob is removed");
    }

    [Test]
    public async Task Offline_builds_from_the_cache_with_no_request_and_fails_clearly_when_the_base_was_never_pulled()
    {
        using var folder = new TempDirectory();
        var cache = new LayerCache(folder.Combine("cache"));
        var reference = $"{Registry.Host}/team/base:1";

        var missing = await FailAsync(folder, reference, cache, offline: true);
        Assert.That(missing.Code, Is.EqualTo(DiagnosticCodes.NotCachedOffline));
        Assert.That(missing.Message, Does.Contain("--offline").And.Contain(reference));

        var online = await BuildAsync(folder, reference, cache, output: "online.tar");
        var requests = Registry.LogLines.Count(l => l.Contains("/v2/", StringComparison.Ordinal));
        var offline = await BuildAsync(folder, reference, cache, output: "offline.tar", offline: true);

        Assert.That(offline.ImageId, Is.EqualTo(online.ImageId));
        Assert.That(Registry.LogLines.Count(l => l.Contains("/v2/", StringComparison.Ordinal)), Is.EqualTo(requests));
    }

    [Test]
    public async Task A_tag_the_registry_does_not_have_is_an_error_naming_the_registry_and_the_image()
    {
        using var folder = new TempDirectory();
        var error = await FailAsync(folder, $"{Registry.Host}/team/base:missing");

        Assert.That(error.Code, Is.EqualTo(DiagnosticCodes.ManifestUnknown));
        Assert.That(error.Message, Does.Contain(Registry.Host).And.Contain("team/base:missing").And.Contain("MANIFEST_UNKNOWN"));
    }

    [Test]
    public async Task An_unknown_host_is_an_error_naming_it()
    {
        using var folder = new TempDirectory();
        var error = await FailAsync(folder, "no-such-registry.invalid/team/base:1");

        Assert.That(error.Code, Is.EqualTo(DiagnosticCodes.RegistryHostUnknown));
        Assert.That(error.Message, Does.Contain("no-such-registry.invalid"));
    }

    [Test]
    public async Task A_stopped_registry_is_connection_refused_within_seconds()
    {
        using var folder = new TempDirectory();
        var stopped = await RegistryServer.StartPlainAsync();
        var host = stopped.Host;
        await stopped.DisposeAsync();

        var clock = Stopwatch.StartNew();
        var error = await FailAsync(folder, $"{host}/team/base:1");

        Assert.That(error.Code, Is.EqualTo(DiagnosticCodes.RegistryUnreachable));
        Assert.That(error.Message, Does.Contain(host).And.Contain("connection refused"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
    }

    [Test]
    public async Task A_blob_corrupted_in_the_registry_is_refused_by_its_digest_and_nothing_is_cached()
    {
        using var folder = new TempDirectory();
        var corrupt = await RegistryServer.StartPlainAsync();
        try
        {
            using var work = new TempDirectory();
            await RegistryImages.PushBaseAsync(corrupt, work.Path, "team/base:1");
            var manifest = System.Text.Json.JsonDocument.Parse(await HttpGetAsync($"http://{corrupt.Host}/v2/team/base/manifests/1")).RootElement;
            var layer = manifest.GetProperty("layers")[0].GetProperty("digest").GetString()!;
            var data = corrupt.BlobData(layer);
            var bytes = await File.ReadAllBytesAsync(data);
            bytes[bytes.Length / 2] ^= 0xFF;
            await File.WriteAllBytesAsync(data, bytes);

            var cache = new LayerCache(folder.Combine("cache"));
            var error = await FailAsync(folder, $"{corrupt.Host}/team/base:1", cache);

            Assert.That(error.Code, Is.EqualTo(DiagnosticCodes.RegistryDigestMismatch));
            Assert.That(error.Message, Does.Contain(layer).And.Contain(corrupt.Host));
            Assert.That(File.Exists(folder.Combine("out", "image.tar")), Is.False);
            Assert.That(LayerTarsIn(cache), Is.Empty, "no layer of the failed pull is in the cache");
            Assert.That(Directory.Exists(Path.Combine(cache.Root, "tmp")) ? Directory.GetFiles(Path.Combine(cache.Root, "tmp")) : [], Is.Empty);
        }
        finally
        {
            await corrupt.DisposeAsync();
        }
    }

    [Test]
    [Category(NativeToolRerun.Category)]
    public void The_command_line_prints_one_line_per_pulled_blob_when_redirected_and_nothing_with_quiet()
    {
        using var folder = new TempDirectory();
        var work = folder.CreateFolder("work");
        File.WriteAllText(Path.Combine(work, "layerbuild.yml"), $"image: example/derived\nbase: {Registry.Host}/team/base:1\n");

        var shown = LayerBuilderCli.Run(["layerbuild.yml", "-o", "image.tar"], work);
        var quiet = LayerBuilderCli.Run(["layerbuild.yml", "-o", "quiet.tar", "--quiet", "--no-cache"], work);

        Assert.That(shown.ExitCode, Is.Zero, shown.Transcript);
        var pulls = shown.StdErr.Split('\n').Where(l => l.StartsWith($"pull {Registry.Host}/team/base ", StringComparison.Ordinal)).ToList();
        Assert.That(pulls, Has.Count.EqualTo(1), shown.Transcript);
        Assert.That(pulls[0], Does.Match(@"[0-9a-f]{12}: [0-9.]+ MiB, [0-9.]+ MiB/s$"));
        Assert.That(quiet.ExitCode, Is.Zero, quiet.Transcript);
        Assert.That(quiet.StdErr + quiet.StdOut, Is.Empty);
        Assert.That(File.Exists(Path.Combine(work, "quiet.tar")), Is.True);
    }

    [Test]
    public void A_base_string_that_is_no_reference_is_a_recipe_error_and_one_naming_a_file_says_how_to_use_it()
    {
        using var folder = new TempDirectory();
        folder.WriteFile("rootfs.tar", "not really a tar");
        var bad = Assert.Throws<LayerBuildException>(() => RecipeParser.Parse("image: x\nbase: Debian:12\n", "layerbuild.yml", folder.Path))!;
        var file = Assert.Throws<LayerBuildException>(() => RecipeParser.Parse("image: x\nbase: rootfs.tar\n", "layerbuild.yml", folder.Path))!;

        Assert.That(bad.Diagnostics.Single().Code, Is.EqualTo(DiagnosticCodes.InvalidBaseReference));
        Assert.That(bad.Diagnostics.Single().Position.Line, Is.EqualTo(2));
        Assert.That(file.Diagnostics.Single().Code, Is.EqualTo(DiagnosticCodes.InvalidBase));
        Assert.That(file.Diagnostics.Single().Message, Does.Contain("{ rootfs: rootfs.tar }"));
    }

    internal static async Task<BuildResult> BuildAsync(TempDirectory folder, string baseReference, LayerCache? cache, string? platform = null,
        string output = "image.tar", bool offline = false, RegistrySettings? settings = null)
    {
        var recipe = RecipeParser.Parse(Recipe(baseReference, platform), "layerbuild.yml", folder.Path);
        var request = BuildRequest.ToFile(recipe, folder.Combine("out", output)) with { Cache = cache, Offline = offline, RegistrySettings = settings ?? Isolated(folder) };
        return await ImageBuilder.BuildAsync(request);
    }

    internal static async Task<Diagnostic> FailAsync(TempDirectory folder, string baseReference, LayerCache? cache = null, string? platform = null,
        bool offline = false, RegistrySettings? settings = null)
    {
        var error = Assert.ThrowsAsync<LayerBuildException>(() => BuildAsync(folder, baseReference, cache, platform, offline: offline, settings: settings))!;
        Assert.That(error.Diagnostics, Has.Count.EqualTo(1), string.Join('\n', error.Diagnostics));
        Assert.That(error.Diagnostics[0].Message, Does.Not.Contain("\n"));
        Assert.That(File.Exists(folder.Combine("out", "image.tar")), Is.False, "no archive after a failed build");
        await Task.CompletedTask;
        return error.Diagnostics[0];
    }

    /// <summary>Settings that read no credential or certificate of the machine running the tests.</summary>
    internal static RegistrySettings Isolated(TempDirectory folder, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? certificateFolders = null) => new()
    {
        CertificateFolders = certificateFolders ?? [],
        Credentials = new CredentialFiles(name => environment?.GetValueOrDefault(name) ?? (name == "HOME" ? folder.Combine("home") : null)),
    };

    internal static IReadOnlyList<string> LayerTarsIn(LayerCache cache)
    {
        var blobs = Path.Combine(cache.Root, "blobs", "sha256");
        return Directory.Exists(blobs)
            ? Directory.GetFiles(blobs).Where(f => new FileInfo(f).Length > 0 && File.ReadAllBytes(f) is var b && (b.Length < 1 || b[0] != (byte)'{')).ToList()
            : [];
    }

    private static string Recipe(string baseReference, string? platform) => $$"""
        image: example/derived
        {{(platform is null ? "" : $"platform: {platform}")}}
        base: "{{baseReference}}"
        config:
          env: { APP: "1" }
        steps:
          - name: app
            files:
              - { path: /app/hello.txt, content: "hello\n" }
        """;

    private static async Task<string> HttpGetAsync(string url)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
