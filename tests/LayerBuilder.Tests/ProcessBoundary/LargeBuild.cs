using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.ProcessBoundary;

/// <summary>A one-step recipe copying a large sparse file, with its own output, cache and temp folders.</summary>
internal sealed class LargeBuild : IDisposable
{
    /// <summary>Sparse, so it costs no disk to create. Large enough that no machine copies it into a layer
    /// before the signal lands, however slowly the test polls on a loaded runner (1 GiB was finished in
    /// time once); a cancelled build stops within a buffer, so only what was written until then costs disk.</summary>
    private const long SourceBytes = 16L << 30;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private readonly TempDirectory temp = new();

    public LargeBuild()
    {
        using (var source = File.Create(temp.Combine("big.bin")))
        {
            source.SetLength(SourceBytes);
        }

        temp.WriteFile("layerbuild.yml", "image: example/big\nsteps:\n  - copy: [{ src: big.bin, dest: /big.bin }]\n");
        temp.CreateFolder("out");
        temp.CreateFolder("tmp");
    }

    private string Output => temp.Combine("out");

    private string CacheTemp => temp.Combine("cache", "layerbuilder", "tmp");

    /// <summary>True: the build streams the archive (<c>-o -</c>, into /dev/null) and stages its layers in TMPDIR.</summary>
    public bool ToStdout { get; init; }

    public CliProcess Start() => CliProcess.Start(
        ["layerbuild.yml", "-o", ToStdout ? "-" : Path.Combine(Output, "big.tar")],
        temp.Path,
        new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = temp.Combine("cache"), ["TMPDIR"] = temp.Combine("tmp") },
        ToStdout ? ">/dev/null" : null);

    /// <summary>The layer is being written: the layer's temporary file in the cache exists, and a partial
    /// archive beside -o (for -o -: the staging folder in TMPDIR).</summary>
    public void WaitUntilMidWrite(CliProcess child) => child.WaitUntil(
        () => (ToStdout ? Directory.EnumerateDirectories(temp.Combine("tmp"), ".layerbuild-*").Any() : Directory.EnumerateFiles(Output, "*.partial").Any()) &&
            Directory.Exists(CacheTemp) && Directory.EnumerateFiles(CacheTemp).Any(),
        "a partial archive or staging folder, and a temporary layer in the cache",
        StartTimeout);

    public void AssertCancelledCleanly(CliRun run, int exitCode) => Assert.Multiple(() =>
    {
        Assert.That(run.ExitCode, Is.EqualTo(exitCode), run.Transcript);
        Assert.That(run.StdErr, Does.Contain(ToStdout
            ? "error LB9002: build cancelled; the archive on standard output is incomplete"
            : "error LB9002: build cancelled; nothing was written"), run.Transcript);
        Assert.That(run.StdErr, Does.Not.Contain("Exception").And.Not.Match(@"(?m)^\s+at \S+\("), "no stack trace");
        Assert.That(run.StdOut, Does.Not.Contain("Wrote:"), run.Transcript);
        Assert.That(Directory.EnumerateFileSystemEntries(Output), Is.Empty, "nothing at -o, no partial archive, no staging folder");
        Assert.That(Directory.Exists(CacheTemp) ? Directory.EnumerateFileSystemEntries(CacheTemp) : [], Is.Empty, "nothing in the cache's temporary folder");
        Assert.That(LayerBuilderEntries(temp.Combine("tmp")), Is.Empty, "nothing of LayerBuilder's in TMPDIR");
    });

    /// <summary>What LayerBuilder left in a folder; the runtime's own diagnostics sockets there are not its.</summary>
    public static IEnumerable<string> LayerBuilderEntries(string folder) =>
        Directory.EnumerateFileSystemEntries(folder).Where(e => Path.GetFileName(e).Contains("layerbuild", StringComparison.Ordinal));

    public void Dispose() => temp.Dispose();
}
