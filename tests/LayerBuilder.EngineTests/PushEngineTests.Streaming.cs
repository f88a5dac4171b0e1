using System.Collections.Concurrent;
using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LayerBuilder.Build;
using LayerBuilder.Cache;
using LayerBuilder.EngineTests.Support;
using LayerBuilder.Layers;
using LayerBuilder.Recipe;

namespace LayerBuilder.EngineTests;

/// <summary>
/// A push with a layer cache uploads a layer it knows nothing about while compressing it with the
/// parallel gzip (docs/decisions.md D74): through a proxy that refuses a chunk (503) and the closing PUT (500),
/// the upload is repeated from the kept file, skopeo copies the image out (Go's gzip reader checks the
/// CRC and length of every layer) to the exact layer tars, and a re-push with the same cache takes the
/// layer's digest from its record and sends nothing.
/// </summary>
public sealed partial class PushEngineTests
{
    /// <summary>Larger than one upload chunk (32 MiB) once compressed, so chunks go while it is compressed.</summary>
    private const int BigFileSize = 40 << 20;

    [Test]
    public async Task WithALayerCacheALargeLayerIsUploadedWhileItIsCompressedRetriedWholeAndSkopeoReadsBackItsDiffIds()
    {
        using var work = new TempFolder("push-streamed");
        await using var registry = await RegistryServer.StartPlainAsync();
        using var proxy = new FlakyRegistryProxy(registry.Host,
        [
            new("PATCH", "/blobs/uploads/", 503),
            new("PUT", "/blobs/uploads/", 500),
        ]);
        var skopeo = SkopeoExecutable();
        var data = Directory.CreateDirectory(work.Combine("context", "data")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(data, "big.bin"), BigData());
        await File.WriteAllTextAsync(Path.Combine(data, "small.txt"), "a second file\n");
        var recipe = work.Combine("context", "layerbuild.yml");
        await File.WriteAllTextAsync(recipe, $"image: {proxy.Host}/team/big\nsteps:\n  - name: data\n    copy:\n      - {{ src: data, dest: /data/ }}\n");
        var cache = new LayerCache(work.Combine("cache"));
        var progress = new ConcurrentQueue<TransferProgress>();

        var result = await ImageBuilder.BuildAsync(BuildRequest.ToRegistry(RecipeParser.ParseFile(recipe)) with { Cache = cache, TransferProgress = new Collect(progress) });

        Assert.That(proxy.Unused, Is.Empty, "the refused chunk and the refused close were met, and tried again");
        var writes = BlobWrites(registry, "team/big");
        Assert.That(writes.Count(l => l.Contains("\"PATCH ", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(2), $"the layer went in chunks: {string.Join("\n", writes)}");
        var layer = result.Layers.Single();
        Assert.That(progress.Where(p => p.Done && p.Action == "push").Select(p => p.Digest), Does.Contain(layer.DiffId),
            "the streamed layer's upload is reported under its diff id (its blob has no digest before its last byte)");
        Assert.That(AccessLog(registry).Count(l => l.Contains("HEAD /v2/team/big/blobs/", StringComparison.Ordinal)), Is.EqualTo(1),
            "only the config is asked for: the streamed layer's digest was unknown when it was sent");

        var copied = work.Combine("copied.tar");
        await ProcessRunner.RunCheckedAsync(skopeo, ["copy", "--src-tls-verify=false", $"docker://{registry.Host}/team/big:latest", $"docker-archive:{copied}"]);
        var (diffIds, layerDigests) = await ReadDockerArchiveAsync(copied);
        Assert.That(layerDigests, Is.EqualTo(new[] { layer.DiffId.ToString() }), "skopeo decompressed the pushed blob to the exact layer tar");
        Assert.That(diffIds, Is.EqualTo(layerDigests), "and the config's diff ids name it");

        var before = Writes(registry, "team/big").Count;
        var again = await ImageBuilder.BuildAsync(BuildRequest.ToRegistry(RecipeParser.ParseFile(recipe)) with { Cache = cache });
        Assert.That(again.PushedManifestDigest, Is.EqualTo(result.PushedManifestDigest), "the streamed bytes are the bytes the record names");
        Assert.That(Writes(registry, "team/big").Skip(before), Is.Empty, "a re-push with the cache knows the digest, asks, and sends nothing");
    }

    /// <summary>Half noise, half text: compresses, but not below one upload chunk.</summary>
    private static byte[] BigData()
    {
        var bytes = new byte[BigFileSize];
        new Random(74).NextBytes(bytes.AsSpan(0, BigFileSize * 7 / 8));
        var text = Encoding.ASCII.GetBytes("layer bytes compressed while they are uploaded\n");
        for (var i = BigFileSize * 7 / 8; i < BigFileSize; i++)
        {
            bytes[i] = text[i % text.Length];
        }

        return bytes;
    }

    /// <summary>The config's diff ids and the SHA-256 of each layer file of a docker archive, in manifest order.</summary>
    private static async Task<(List<string> DiffIds, List<string> LayerDigests)> ReadDockerArchiveAsync(string archive)
    {
        var members = new Dictionary<string, string>();
        byte[]? manifest = null;
        var configs = new Dictionary<string, byte[]>();
        await using (var file = File.OpenRead(archive))
        {
            using var reader = new TarReader(file);
            while (await reader.GetNextEntryAsync() is { } entry)
            {
                if (entry.DataStream is null)
                {
                    continue;
                }

                if (entry.Name == "manifest.json" || entry.Name.EndsWith(".json", StringComparison.Ordinal))
                {
                    using var copy = new MemoryStream();
                    await entry.DataStream.CopyToAsync(copy);
                    if (entry.Name == "manifest.json")
                    {
                        manifest = copy.ToArray();
                    }
                    else
                    {
                        configs[entry.Name] = copy.ToArray();
                    }
                }
                else
                {
                    members[entry.Name] = "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(entry.DataStream));
                }
            }
        }

        Assert.That(manifest, Is.Not.Null, "the archive has a manifest.json");
        using var json = JsonDocument.Parse(manifest!);
        var image = json.RootElement[0];
        var layerDigests = image.GetProperty("Layers").EnumerateArray().Select(l => members[l.GetString()!]).ToList();
        using var config = JsonDocument.Parse(configs[image.GetProperty("Config").GetString()!]);
        var diffIds = config.RootElement.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(d => d.GetString()!).ToList();
        return (diffIds, layerDigests);
    }
}
