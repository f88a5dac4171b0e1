using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Layers;
using LayerBuilder.Planning;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Unit;

/// <summary>
/// The read-ahead (<see cref="SmallFilePrefetcher"/>) reads a walked plan's files by name in their open
/// folder, on several threads, a chunk of entries at a time, and the writer takes them back in order.
/// Whatever the split, the layer must be byte for byte the layer written without any read-ahead, and a
/// file changed or gone after the plan must fail the build as it does without the read-ahead.
/// </summary>
public sealed class ReadAheadTests
{
    /// <summary>A time no file of the test had: setting it moves mtime even within one clock tick.</summary>
    private static readonly DateTime LongAgo = new(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);

    [Test]
    public async Task A_walked_plan_read_ahead_is_the_layer_written_without_read_ahead()
    {
        using var tree = new TempDirectory();
        var random = new Random(7);
        // Folders larger and smaller than a chunk, empty files, and files over the read-ahead's limit,
        // which the writer reads itself between files read ahead.
        foreach (var (folder, files) in new[] { ("a", 70), ("b", 1), ("c", 33), ("d", 0), ("e", 129) })
        {
            tree.CreateFolder(folder);
            for (var i = 0; i < files; i++)
            {
                var size = i % 31 == 5 ? SmallFilePrefetcher.MaxFileSize + 1 + i : random.Next(0, 3000);
                var bytes = new byte[size];
                random.NextBytes(bytes);
                tree.WriteFile($"{folder}/f{i:D3}", bytes);
            }
        }

        var plan = Plan(tree.Path);
        Assert.That(plan.Count, Is.GreaterThan(SmallFilePrefetcher.Readers * 32 * 2), "more chunks than readers");

        var readAhead = await LayerWriter.WriteAsync(tree.Combine("ahead.tar"), plan, null, CancellationToken.None);
        // An enumeration, not a list: the writer reads every file itself.
        var plain = await LayerWriter.WriteAsync(tree.Combine("plain.tar"), plan.Select(e => e), null, CancellationToken.None);

        Assert.That(readAhead, Is.EqualTo(plain));
        Assert.That(File.ReadAllBytes(tree.Combine("ahead.tar")), Is.EqualTo(File.ReadAllBytes(tree.Combine("plain.tar"))));
    }

    [Test]
    public void A_walked_file_rewritten_in_place_after_the_plan_is_caught_by_the_read_ahead()
    {
        using var tree = new TempDirectory();
        for (var i = 0; i < 100; i++)
        {
            tree.WriteFile($"sub/f{i:D3}", $"content {i}\n");
        }

        var plan = Plan(tree.Path);
        var rewritten = tree.Combine("sub", "f077");
        using (var stream = new FileStream(rewritten, FileMode.Open, FileAccess.Write))
        {
            stream.Write("CONTENT 77\n"u8);
        }

        File.SetLastWriteTimeUtc(rewritten, LongAgo);

        var error = Assert.ThrowsAsync<LayerBuildException>(() => LayerWriter.WriteAsync(tree.Combine("layer.tar"), plan, null, CancellationToken.None));
        Assert.That(error!.Diagnostics.Select(d => d.Code.ToString()), Is.EqualTo(new[] { "LB2015" }));
        Assert.That(error.Diagnostics[0].Message, Does.Contain("/data/sub/f077").And.Contain("rewritten"));
    }

    [Test]
    public void A_walked_file_removed_after_the_plan_is_unreadable_and_named()
    {
        using var tree = new TempDirectory();
        for (var i = 0; i < 100; i++)
        {
            tree.WriteFile($"sub/f{i:D3}", $"content {i}\n");
        }

        var plan = Plan(tree.Path);
        File.Delete(tree.Combine("sub", "f050"));

        var error = Assert.ThrowsAsync<LayerBuildException>(() => LayerWriter.WriteAsync(tree.Combine("layer.tar"), plan, null, CancellationToken.None));
        Assert.That(error!.Diagnostics.Select(d => d.Code.ToString()), Is.EqualTo(new[] { "LB2011" }));
        Assert.That(error.Diagnostics[0].Message, Does.Contain(tree.Combine("sub", "f050")).And.Contain("/data/sub/f050"));
    }

    /// <summary>Every regular file under <paramref name="root"/>'s folders, walked, in one image folder per host folder.</summary>
    private static PlanStore Plan(string root)
    {
        var walked = HostTree.Listing(root, [], []);
        var store = new PlanStore(42);
        var source = store.AddSource(new PlanSource("copy", SourcePosition.StartOf("t.yml")));
        var listings = new Dictionary<FolderListing, int>();
        foreach (var (listing, member) in walked.Items().Where(i => i.Folder.Stat(i.Member).Kind == EntryKind.File))
        {
            if (!listings.TryGetValue(listing, out var number))
            {
                listings[listing] = number = store.AddListing(listing);
            }

            var folder = store.FolderId(ImagePath.Parse("/data/" + Path.GetFileName(listing.HostPath)));
            Assert.That(store.AddWalked(folder, number, member, EntryKind.File, 0x1A4, source), Is.EqualTo(PlanStore.None));
        }

        store.Sort();
        return store;
    }
}
