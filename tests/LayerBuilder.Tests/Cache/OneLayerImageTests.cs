using LayerBuilder.Build;
using LayerBuilder.Cache;
using LayerBuilder.Recipe;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Cache;

/// <summary>
/// The one layer of a one-layer image is written straight into the archive (and into the cache from
/// the same buffers). However the layer got there, the archive's bytes are the same.
/// </summary>
public sealed class OneLayerImageTests
{
    [Test]
    public async Task Without_cache_with_a_cold_cache_and_from_the_cache_the_archive_is_byte_identical()
    {
        using var temp = new TempDirectory();
        var recipe = WriteRecipe(temp);
        var cache = new LayerCache(temp.Combine("cache"));

        var plain = await ImageBuilder.BuildAsync(new BuildRequest(recipe, temp.Combine("out/plain.tar")));
        var cold = await ImageBuilder.BuildAsync(new BuildRequest(recipe, temp.Combine("out/cold.tar")) { Cache = cache });
        var warm = await ImageBuilder.BuildAsync(new BuildRequest(recipe, temp.Combine("out/warm.tar")) { Cache = cache });

        var expected = await File.ReadAllBytesAsync(temp.Combine("out/plain.tar"));
        Assert.That(await File.ReadAllBytesAsync(temp.Combine("out/cold.tar")), Is.EqualTo(expected));
        Assert.That(await File.ReadAllBytesAsync(temp.Combine("out/warm.tar")), Is.EqualTo(expected));
        Assert.That(new[] { cold.ImageId, warm.ImageId }, Has.All.EqualTo(plain.ImageId));

        // The cold build stored the layer as well as writing it into its archive.
        var stored = Directory.GetFiles(temp.Combine("cache"), plain.Layers[0].DiffId.Hex, SearchOption.AllDirectories);
        Assert.That(stored, Has.Length.EqualTo(1));
        Assert.That(new FileInfo(stored[0]).Length, Is.EqualTo(plain.Layers[0].Size));
        Assert.That(Directory.GetFiles(temp.Combine("out"), "*.partial"), Is.Empty, "no temporary archive is left");
    }

    [Test]
    public async Task A_rotten_cached_layer_is_rebuilt_in_place_with_the_same_bytes()
    {
        using var temp = new TempDirectory();
        var recipe = WriteRecipe(temp);
        var cache = new LayerCache(temp.Combine("cache"));
        var first = await ImageBuilder.BuildAsync(new BuildRequest(recipe, temp.Combine("out/first.tar")) { Cache = cache });
        var stored = Directory.GetFiles(temp.Combine("cache"), first.Layers[0].DiffId.Hex, SearchOption.AllDirectories).Single();
        var bytes = await File.ReadAllBytesAsync(stored);
        bytes[^2000] ^= 0x5A;
        await File.WriteAllBytesAsync(stored, bytes);

        var second = await ImageBuilder.BuildAsync(new BuildRequest(recipe, temp.Combine("out/second.tar")) { Cache = cache });

        Assert.That(second.ImageId, Is.EqualTo(first.ImageId));
        Assert.That(await File.ReadAllBytesAsync(temp.Combine("out/second.tar")), Is.EqualTo(await File.ReadAllBytesAsync(temp.Combine("out/first.tar"))));
    }

    [Test]
    public async Task A_one_layer_build_cancelled_while_it_writes_the_archive_leaves_nothing_at_the_output_or_beside_it()
    {
        using var temp = new TempDirectory();
        WriteRecipe(temp);
        using (var big = File.Create(temp.Combine("src/big.bin")))
        {
            big.SetLength(4L << 30); // sparse: no disk used; seconds of writing, so the cancel lands mid-write
        }

        var recipe = RecipeParser.ParseFile(temp.Combine("layerbuild.yml"));
        var output = temp.Combine("out/image.tar");
        using var cancel = new CancellationTokenSource();

        var build = Task.Run(() => ImageBuilder.BuildAsync(new BuildRequest(recipe, output), cancel.Token));
        var partial = await WaitForAsync(() => Directory.Exists(temp.Combine("out"))
            ? Directory.GetFiles(temp.Combine("out")).FirstOrDefault(f => new FileInfo(f).Length > 1 << 20)
            : null, build);
        Assert.That(partial, Is.Not.Null, "the archive was never being written");
        cancel.Cancel();

        // The cancel stops the write where it is (within a buffer), not after the rest of the 4 GiB file.
        var largest = 0L;
        while (!build.IsCompleted)
        {
            largest = Math.Max(largest, File.Exists(partial) ? new FileInfo(partial!).Length : 0);
            await Task.WhenAny(build, Task.Delay(5));
        }

        Assert.That(async () => await build, Throws.InstanceOf<OperationCanceledException>(), "the build finished before the cancel");
        Assert.That(largest, Is.LessThan(1L << 30), "the build went on writing after the cancel");
        Assert.That(File.Exists(output), Is.False);
        Assert.That(Directory.Exists(temp.Combine("out")) ? Directory.GetFileSystemEntries(temp.Combine("out")) : [], Is.Empty);
    }

    /// <summary>Polls <paramref name="probe"/> until it returns a value, the build ends, or a minute passes.</summary>
    private static async Task<string?> WaitForAsync(Func<string?> probe, Task build)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!build.IsCompleted && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            if (probe() is { } found)
            {
                return found;
            }

            await Task.Delay(5);
        }

        return null;
    }

    private static BuildRecipe WriteRecipe(TempDirectory temp)
    {
        temp.WriteFile("src/app.dll", new string('a', 70_000));
        temp.WriteFile("src/data/one.txt", "one\n");
        temp.WriteFile("layerbuild.yml", """
            image: cache/one-layer
            created: "2024-01-01T00:00:00Z"
            config: { labels: { purpose: one-layer } }
            steps:
              - name: app
                copy: [{ src: src, dest: /app/ }]
            """);
        return RecipeParser.ParseFile(temp.Combine("layerbuild.yml"));
    }
}
