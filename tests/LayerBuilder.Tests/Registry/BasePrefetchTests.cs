using LayerBuilder.Cache;
using LayerBuilder.Diagnostics;
using LayerBuilder.Registry;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Registry;

/// <summary>
/// The base pulled ahead of the build (docs/decisions.md D80), against a real registry (Debian's
/// docker-registry on 127.0.0.1): which references are worth a prefetch, and that the build after one
/// fetches no blob again and makes the very image a build without one makes.
/// </summary>
[NonParallelizable]
public sealed class BasePrefetchTests : LoopbackRegistryTests
{
    private string baseDigest = "";

    protected override async Task PushImagesAsync() => baseDigest = await RegistryImages.PushBaseAsync(Registry, Images.Path, "team/base:1");

    [Test]
    public async Task Only_a_reference_the_cache_never_pulled_is_worth_a_prefetch()
    {
        using var folder = new TempDirectory();
        var cache = new LayerCache(folder.Combine("cache"));
        var byTag = $"{Registry.Host}/team/base:1";
        var byDigest = $"{Registry.Host}/team/base@{baseDigest}";

        Assert.That(BasePrefetch.IsWorthwhile("Not A Reference", cache), Is.False);
        Assert.That(BasePrefetch.IsWorthwhile(byTag, cache), Is.True, "a tag the cache never resolved");
        Assert.That(BasePrefetch.IsWorthwhile(byDigest, cache), Is.True, "a manifest the cache does not hold");

        await BasePrefetch.PullAsync(byTag, null, cache, RegistryPullTests.Isolated(folder), CancellationToken.None);

        Assert.That(BasePrefetch.IsWorthwhile(byTag, cache), Is.False, "the build's own pull asks for the manifest once: a prefetch would add a request");
        Assert.That(BasePrefetch.IsWorthwhile(byDigest, cache), Is.False, "the manifest is held under its digest");
        Assert.That(BasePrefetch.IsWorthwhile($"{Registry.Host}/team/base:2", cache), Is.True, "another tag is another reference");
    }

    [Test]
    public async Task A_build_after_a_prefetch_fetches_no_blob_and_makes_the_image_a_build_without_one_makes()
    {
        using var folder = new TempDirectory();
        var cache = new LayerCache(folder.Combine("cache"));
        var byTag = $"{Registry.Host}/team/base:1";
        const string blobs = "^/v2/team/base/blobs/";

        var before = Registry.CountRequests("GET", blobs);
        await BasePrefetch.PullAsync(byTag, null, cache, RegistryPullTests.Isolated(folder), CancellationToken.None);
        var fetched = Registry.CountRequests("GET", blobs) - before;
        var indexes = Path.Combine(cache.Root, "indexes");
        Assert.That(Directory.Exists(indexes) ? Directory.GetFiles(indexes) : [], Is.Not.Empty, "the prefetch kept the base's entries (D83)");
        var prefetched = await RegistryPullTests.BuildAsync(folder, byTag, cache);

        Assert.That(fetched, Is.GreaterThanOrEqualTo(2), "the prefetch fetched the config and the layer");
        Assert.That(Registry.CountRequests("GET", blobs) - before, Is.EqualTo(fetched), "the build found every blob in the cache");

        using var other = new TempDirectory();
        var plain = await RegistryPullTests.BuildAsync(other, byTag, new LayerCache(other.Combine("cache")));
        Assert.That(prefetched.ImageId, Is.EqualTo(plain.ImageId));
        Assert.That(File.ReadAllBytes(prefetched.OutputPath), Is.EqualTo(File.ReadAllBytes(plain.OutputPath)), "byte for byte the same archive");
    }

    [Test]
    public void A_prefetch_that_cannot_reach_the_registry_fails_as_a_pull_fails_and_leaves_the_reference_worth_one()
    {
        using var folder = new TempDirectory();
        var cache = new LayerCache(folder.Combine("cache"));
        var unreachable = "127.0.0.1:1/team/base:1";

        Assert.ThrowsAsync<LayerBuildException>(() =>
            BasePrefetch.PullAsync(unreachable, null, cache, RegistryPullTests.Isolated(folder), CancellationToken.None));
        Assert.That(BasePrefetch.IsWorthwhile(unreachable, cache), Is.True, "nothing was remembered");
    }
}
