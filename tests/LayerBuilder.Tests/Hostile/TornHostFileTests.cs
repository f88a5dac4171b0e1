using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Layers;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Hostile;

/// <summary>
/// A host file rewritten in place with the same size while a build reads it would give a torn file (old
/// bytes, then new) under a length check alone. After reading a file the writer compares its modification
/// and change times with what the plan's stat saw; if they moved, the build fails with LB2015. The tests
/// rewrite the file at a point the test chooses (no race): between the plan's stat and the read, and,
/// through the reader itself, in the middle of a read.
/// </summary>
public sealed class TornHostFileTests
{
    /// <summary>Over <see cref="SmallFilePrefetcher.MaxFileSize"/>: read by the writer thread, not read ahead.</summary>
    private const int LargeFile = 1 << 20;

    /// <summary>A time no file of the test had: setting it moves mtime even within one clock tick.</summary>
    private static readonly DateTime LongAgo = new(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);

    [TestCase(16 << 10, TestName = "A same-size rewrite after the plan of a file read ahead is caught")]
    [TestCase(LargeFile, TestName = "A same-size rewrite after the plan of a file read by the writer is caught")]
    public void A_same_size_rewrite_after_the_plan_is_caught(int size)
    {
        using var folder = new TempDirectory();
        var other = folder.WriteFile("a.txt", "unchanged\n");
        var rewritten = folder.WriteFile("b.bin", Bytes(size, 1));
        var entries = new List<LayerEntry> { FileEntry("/a.txt", other), FileEntry("/b.bin", rewritten) };

        RewriteInPlace(rewritten, Bytes(size, 2));

        var error = Assert.ThrowsAsync<LayerBuildException>(() => LayerWriter.WriteAsync(folder.Combine("layer.tar"), entries, null, CancellationToken.None));
        Assert.That(error!.Diagnostics.Select(d => d.Code.ToString()), Is.EqualTo(new[] { "LB2015" }));
        Assert.That(error.Diagnostics[0].Message, Does.Contain("/b.bin").And.Contain("rewritten"));
    }

    [Test]
    public async Task Files_left_alone_after_the_plan_are_written()
    {
        using var folder = new TempDirectory();
        var small = folder.WriteFile("a.txt", "unchanged\n");
        var large = folder.WriteFile("b.bin", Bytes(LargeFile, 1));

        var blob = await LayerWriter.WriteAsync(folder.Combine("layer.tar"), [FileEntry("/a.txt", small), FileEntry("/b.bin", large)], null, CancellationToken.None);

        Assert.That(blob.Size, Is.GreaterThan(LargeFile));
    }

    [Test]
    public void A_rewrite_in_the_middle_of_a_read_is_seen_on_the_open_file()
    {
        using var folder = new TempDirectory();
        var path = folder.WriteFile("b.bin", Bytes(LargeFile, 1));
        var seen = HostFileInfo.Stat(path);
        var read = new byte[LargeFile];

        using var reader = HostFileReader.Open(path);
        var first = reader.Read(read.AsSpan(0, LargeFile / 2), 0);
        RewriteInPlace(path, Bytes(LargeFile, 2));
        var second = reader.Read(read.AsSpan(LargeFile / 2), LargeFile / 2);

        Assert.That(first + second, Is.EqualTo(LargeFile), "the length alone shows nothing");
        Assert.That(read[0] != read[^1], Is.True, "the bytes read are torn: old first half, new second half");
        Assert.That(reader.ChangedSince(seen), Is.True);
    }

    [Test]
    public void A_file_read_without_a_rewrite_is_unchanged()
    {
        using var folder = new TempDirectory();
        var path = folder.WriteFile("b.bin", Bytes(LargeFile, 1));
        var seen = HostFileInfo.Stat(path);

        using var reader = HostFileReader.Open(path);
        _ = reader.Read(new byte[LargeFile], 0);

        Assert.That(reader.ChangedSince(seen), Is.False);
    }

    [Test]
    public async Task A_copy_source_that_fails_to_read_is_unreadable_not_an_internal_error()
    {
        // /proc/self/mem stats as an empty regular file; reading it fails (EIO), even for root.
        using var folder = new TempDirectory();
        var (exitCode, stdout, stderr) = await HostileRun.BuildAsync(folder.Path,
            "image: example/unreadable\ncreated: \"2024-01-01T00:00:00Z\"\nsteps:\n  - copy:\n      - { src: /proc/self/mem, dest: /mem }\n");

        var transcript = $"exit code {exitCode}\n--- stdout\n{stdout}\n--- stderr\n{stderr}";
        Assert.That(exitCode, Is.EqualTo(1), transcript);
        Assert.That(stderr, Does.Contain("error LB2011").And.Contain("/proc/self/mem").And.Not.Contain("LB9001"), transcript);
    }

    private static byte[] Bytes(int size, byte value)
    {
        var bytes = new byte[size];
        Array.Fill(bytes, value);
        return bytes;
    }

    /// <summary>Overwrites the file's bytes through the same inode, as an editor or a build step writing in place does.</summary>
    private static void RewriteInPlace(string path, byte[] bytes)
    {
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.Write(bytes);
        }

        File.SetLastWriteTimeUtc(path, LongAgo);
    }

    private static LayerEntry FileEntry(string imagePath, string hostPath)
    {
        var info = HostFileInfo.Stat(hostPath);
        return new LayerEntry
        {
            Path = ImagePath.Parse(imagePath),
            Kind = EntryKind.File,
            Mode = 0x1A4,
            Content = new HostFileContent(hostPath, info.Size) { Info = info },
        };
    }
}
