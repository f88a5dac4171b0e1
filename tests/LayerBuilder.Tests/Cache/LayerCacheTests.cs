using System.Security.Cryptography;
using LayerBuilder.FileSystem;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Cache;

/// <summary>The layer cache: hits, misses on change, corruption, concurrency, and unchanged archives.</summary>
[TestFixture]
public sealed class LayerCacheTests
{
    [Test]
    public async Task A_second_build_takes_every_layer_from_the_cache_and_gives_the_same_image()
    {
        using var fixture = new CacheFixture();
        var (first, firstProgress) = await fixture.BuildAsync(fixture.Output("first.tar"), fixture.Cache);
        var (second, secondProgress) = await fixture.BuildAsync(fixture.Output("second.tar"), fixture.Cache);

        Assert.That(firstProgress.Where(p => p.Done).Select(p => p.FromCache), Is.All.False);
        Assert.That(secondProgress.Where(p => p.FromCache).Select(p => p.Layer), Is.EquivalentTo(new[] { 0, 1 }));
        Assert.That(second.ImageId, Is.EqualTo(first.ImageId));
        Assert.That(File.ReadAllBytes(fixture.Output("second.tar")), Is.EqualTo(File.ReadAllBytes(fixture.Output("first.tar"))));
    }

    [Test]
    public async Task Changing_one_file_rebuilds_only_the_step_that_copies_it()
    {
        using var fixture = new CacheFixture();
        var (first, _) = await fixture.BuildAsync(fixture.Output("a.tar"), fixture.Cache);
        File.WriteAllText(fixture.Source("two/c.txt"), "gamma, changed\n");
        var (second, progress) = await fixture.BuildAsync(fixture.Output("b.tar"), fixture.Cache);

        Assert.That(progress.Single(p => p.Layer == 0 && p.Done).FromCache, Is.True, "step one did not change");
        Assert.That(progress.Where(p => p.Layer == 1 && p.Done).Select(p => p.FromCache), Is.All.False, "step two copies the changed file");
        Assert.That(second.Layers[0].DiffId, Is.EqualTo(first.Layers[0].DiffId));
        Assert.That(second.Layers[1].DiffId, Is.Not.EqualTo(first.Layers[1].DiffId));
    }

    [Test]
    public async Task A_change_that_keeps_size_and_mtime_is_still_seen()
    {
        using var fixture = new CacheFixture();
        var path = fixture.Source("one/a.txt");
        var (first, _) = await fixture.BuildAsync(fixture.Output("a.tar"), fixture.Cache);
        var mtime = File.GetLastWriteTimeUtc(path);
        var changed = HostFileInfo.Stat(path).ChangedNanoseconds;
        File.WriteAllText(path, "ALPHA\n");
        File.SetLastWriteTimeUtc(path, mtime);
        WaitUntilTheChangeTimeMoves(path, changed);
        var (second, _) = await fixture.BuildAsync(fixture.Output("b.tar"), fixture.Cache);

        Assert.That(second.Layers[0].DiffId, Is.Not.EqualTo(first.Layers[0].DiffId));
        var layer = ImageArchive.Read(fixture.Output("b.tar")).Layer(0);
        Assert.That(layer.Single(m => m.Name == "one/a.txt").Text, Is.EqualTo("ALPHA\n"));
    }

    [Test]
    public async Task A_corrupted_cache_entry_is_detected_evicted_and_never_shipped()
    {
        using var fixture = new CacheFixture();
        var (first, _) = await fixture.BuildAsync(fixture.Output("a.tar"), fixture.Cache);
        var blob = Path.Combine(fixture.Cache.Root, "blobs", "sha256", first.Layers[0].DiffId.Hex);
        var bytes = File.ReadAllBytes(blob);
        bytes[600] ^= 0xFF; // inside the first file's content
        File.WriteAllBytes(blob, bytes);

        var (second, _) = await fixture.BuildAsync(fixture.Output("b.tar"), fixture.Cache);

        Assert.That(second.ImageId, Is.EqualTo(first.ImageId));
        var archive = ImageArchive.Read(fixture.Output("b.tar"));
        var diffIds = archive.ConfigDocument.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(d => d.GetString()).ToList();
        Assert.That(archive.LayerPaths.Select(p => ImageArchive.Sha256(archive.Bytes(p))), Is.EqualTo(diffIds));
        Assert.That("sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(blob))), Is.EqualTo(first.Layers[0].DiffId.ToString()),
            "the damaged entry was replaced by a good one");
    }

    [Test]
    public async Task Concurrent_builds_sharing_one_cache_all_produce_the_same_archive()
    {
        using var fixture = new CacheFixture();
        var builds = Enumerable.Range(0, 4).Select(i => Task.Run(() => fixture.BuildAsync(fixture.Output($"c{i}.tar"), fixture.Cache))).ToArray();
        var results = await Task.WhenAll(builds);

        Assert.That(results.Select(r => r.Result.ImageId).Distinct().Count(), Is.EqualTo(1));
        var reference = File.ReadAllBytes(fixture.Output("c0.tar"));
        for (var i = 1; i < 4; i++)
        {
            Assert.That(File.ReadAllBytes(fixture.Output($"c{i}.tar")), Is.EqualTo(reference));
        }

        Assert.That(Directory.GetFiles(fixture.Cache.Temp), Is.Empty, "no temporary files are left behind");
    }

    [Test]
    public async Task An_unchanged_rebuild_leaves_the_archive_untouched_and_a_touched_archive_is_rewritten()
    {
        using var fixture = new CacheFixture();
        var output = fixture.Output("image.tar");
        await fixture.BuildAsync(output, fixture.Cache);
        var written = File.GetLastWriteTimeUtc(output);
        var length = new FileInfo(output).Length;

        var (again, _) = await fixture.BuildAsync(output, fixture.Cache);
        Assert.That(again.Unchanged, Is.True);
        Assert.That(File.GetLastWriteTimeUtc(output), Is.EqualTo(written));

        File.WriteAllText(output, "someone else wrote here");
        var (rewritten, _) = await fixture.BuildAsync(output, fixture.Cache);
        Assert.That(rewritten.Unchanged, Is.False);
        Assert.That(new FileInfo(output).Length, Is.EqualTo(length));
    }

    [Test]
    public async Task Without_a_cache_nothing_is_stored_and_every_layer_is_written()
    {
        using var fixture = new CacheFixture();
        var before = Entries(fixture.Root);
        var (_, progress) = await fixture.BuildAsync(fixture.Output("a.tar"), cache: null);
        var (again, _) = await fixture.BuildAsync(fixture.Output("a.tar"), cache: null);

        Assert.That(Entries(fixture.Root), Is.EquivalentTo(before.Append("out").Append(Path.Combine("out", "a.tar"))), "only the archive was written");
        Assert.That(progress.Where(p => p.Done).Select(p => p.FromCache), Is.All.False);
        Assert.That(again.Unchanged, Is.False);
    }

    [Test]
    public void With_no_cache_the_cli_leaves_its_cache_folder_empty_and_without_it_fills_that_folder()
    {
        using var fixture = new CacheFixture();
        var cache = Path.Combine(fixture.Root, "xdg-cache");
        var environment = new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = cache };

        var first = LayerBuilderCli.Run(["layerbuild.yml", "-o", fixture.Output("a.tar"), "--no-cache"], fixture.Root, environment);
        var second = LayerBuilderCli.Run(["layerbuild.yml", "-o", fixture.Output("a.tar"), "--no-cache"], fixture.Root, environment);

        Assert.That(first.ExitCode, Is.Zero, first.Transcript);
        Assert.That(second.ExitCode, Is.Zero, second.Transcript);
        Assert.That(second.StdOut, Does.Contain("Wrote:").And.Not.Contain("Unchanged:"), "--no-cache always rewrites the archive");
        Assert.That(Directory.Exists(cache) ? Directory.GetFileSystemEntries(cache, "*", SearchOption.AllDirectories) : [], Is.Empty);

        // The control: the same folder is where the cache goes without the option, so the check above can fail.
        var cached = LayerBuilderCli.Run(["layerbuild.yml", "-o", fixture.Output("b.tar")], fixture.Root, environment);
        Assert.That(cached.ExitCode, Is.Zero, cached.Transcript);
        Assert.That(Directory.GetFiles(cache, "*", SearchOption.AllDirectories), Is.Not.Empty);
    }

    private static List<string> Entries(string root) =>
        Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories).Select(e => Path.GetRelativePath(root, e)).ToList();

    /// <summary>
    /// Makes sure the file's ctime differs from <paramref name="before"/>: the kernel stamps it from a clock
    /// that ticks every few milliseconds, so a rewrite within the same tick would keep it. A chmod to the
    /// same mode sets ctime again; repeat until a tick has passed. Without this the test depends on timing.
    /// </summary>
    private static void WaitUntilTheChangeTimeMoves(string path, long before)
    {
        for (var attempt = 0; attempt < 500 && HostFileInfo.Stat(path).ChangedNanoseconds == before; attempt++)
        {
            Thread.Sleep(2);
            File.SetUnixFileMode(path, File.GetUnixFileMode(path));
        }

        Assert.That(HostFileInfo.Stat(path).ChangedNanoseconds, Is.Not.EqualTo(before), "the precondition: only ctime and content changed");
    }
}
