using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Output;

/// <summary>
/// A layer cache that cannot be used (read-only, a folder where a layer file belongs, a file where its
/// temporary folder belongs, an output record that cannot be written) is one LB3005 warning: the build
/// goes on without it, exits 0 and writes the same bytes as a build without a cache.
/// </summary>
[TestFixture]
public sealed partial class UnusableCacheTests
{
    [Test]
    public void A_read_only_empty_cache_is_a_warning_and_the_build_goes_on()
    {
        using var workspace = new OutputWorkspace();
        var reference = Reference(workspace);
        var cache = Directory.CreateDirectory(Path.Combine(workspace.Cache, "layerbuilder")).FullName;

        CliRun run;
        using (new ReadOnlyFolder(cache))
        {
            run = workspace.Build(workspace.Combine("image.tar"));
        }

        AssertBuiltWithOneWarning(run, workspace.Combine("image.tar"), reference);
    }

    [Test]
    public void A_read_only_warm_cache_is_a_warning_and_the_archive_is_complete()
    {
        using var workspace = new OutputWorkspace();
        var reference = Reference(workspace);
        Assert.That(workspace.Build(workspace.Combine("warm.tar")).ExitCode, Is.EqualTo(0));
        var cache = Path.Combine(workspace.Cache, "layerbuilder");

        var folders = Directory.GetDirectories(cache, "*", SearchOption.AllDirectories).Prepend(cache).ToList();
        var locks = folders.Select(f => new ReadOnlyFolder(f)).ToList();
        CliRun run;
        try
        {
            run = workspace.Build(workspace.Combine("image.tar"));
        }
        finally
        {
            locks.ForEach(l => l.Dispose());
        }

        AssertBuiltWithOneWarning(run, workspace.Combine("image.tar"), reference);
    }

    [Test]
    public void A_folder_where_a_cached_layer_belongs_is_a_warning_and_the_build_goes_on()
    {
        using var workspace = new OutputWorkspace();
        var reference = Reference(workspace, out var diffIds);
        Directory.CreateDirectory(Path.Combine(workspace.Cache, "layerbuilder", "blobs", "sha256", diffIds[0], "in-the-way"));

        var run = workspace.Build(workspace.Combine("image.tar"));

        AssertBuiltWithOneWarning(run, workspace.Combine("image.tar"), reference);
    }

    [Test]
    public void A_file_where_the_cache_temporary_folder_belongs_is_a_warning_and_the_build_goes_on()
    {
        using var workspace = new OutputWorkspace();
        var reference = Reference(workspace);
        workspace.WriteFile(Path.Combine("cache", "layerbuilder", "tmp"), "not a folder");

        var run = workspace.Build(workspace.Combine("image.tar"));

        AssertBuiltWithOneWarning(run, workspace.Combine("image.tar"), reference);
    }

    [Test]
    public void An_output_record_that_cannot_be_written_is_a_warning_after_a_complete_archive()
    {
        using var workspace = new OutputWorkspace();
        var reference = Reference(workspace);
        workspace.WriteFile(Path.Combine("cache", "layerbuilder", "outputs"), "not a folder");

        var run = workspace.Build(workspace.Combine("image.tar"));

        AssertBuiltWithOneWarning(run, workspace.Combine("image.tar"), reference);
    }

    [Test]
    public void A_full_cache_disk_is_a_warning_and_the_build_goes_on()
    {
        if (!IsRoot())
        {
            Assert.Ignore("mounting a small tmpfs as the cache's disk needs root (CI runs as root)");
        }

        using var workspace = new OutputWorkspace("""
            image: output/test
            created: "2024-01-01T00:00:00Z"
            steps:
              - copy: [{ src: src/app.txt, dest: /app/ }]
              - copy: [{ src: src/data, dest: /data/ }]
            """);
        workspace.WriteFile("src/data/big.bin", Convert.ToBase64String(RandomNumberGenerator.GetBytes(TmpfsSize)));
        var reference = Reference(workspace);
        var cache = Directory.CreateDirectory(Path.Combine(workspace.Cache, "layerbuilder")).FullName;
        Run("mount", "-t", "tmpfs", "-o", $"size={TmpfsSize}", "tmpfs", cache);
        CliRun run;
        try
        {
            run = workspace.Build(workspace.Combine("image.tar"));
            Assert.That(OutputWorkspace.Entries(Path.Combine(cache, "tmp")), Is.Empty, "the layer that did not fit was removed");
        }
        finally
        {
            Run("umount", cache);
        }

        AssertBuiltWithOneWarning(run, workspace.Combine("image.tar"), reference);
    }

    private const int TmpfsSize = 1 << 20;

    private static bool IsRoot() => File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        Assert.That(process.WaitForExit(TimeSpan.FromSeconds(30)) && process.ExitCode == 0, Is.True, $"{program} {string.Join(' ', arguments)}: {error}");
    }

    /// <summary>The bytes of the same build without a cache.</summary>
    private static byte[] Reference(OutputWorkspace workspace) => Reference(workspace, out _);

    private static byte[] Reference(OutputWorkspace workspace, out List<string> diffIds)
    {
        var path = workspace.Combine("reference", "image.tar");
        var run = workspace.Build(path, "--no-cache");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Transcript);
        diffIds = LayerLine().Matches(run.StdOut).Select(m => m.Groups[1].Value).ToList();
        Assert.That(diffIds, Has.Count.EqualTo(2), run.Transcript);
        return File.ReadAllBytes(path);
    }

    private static void AssertBuiltWithOneWarning(CliRun run, string output, byte[] reference)
    {
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Transcript);
            Assert.That(Regex.Matches(run.StdErr, "warning LB3005:"), Has.Count.EqualTo(1), run.Transcript);
            Assert.That(run.StdErr, Does.Not.Contain("Exception").And.Not.Contain("error "), run.Transcript);
            Assert.That(run.StdOut, Does.Contain("Wrote:"), run.Transcript);
        });
        Assert.That(File.ReadAllBytes(output), Is.EqualTo(reference), "the same bytes as a build without a cache");
    }

    [GeneratedRegex(@"Layer:\s+sha256:([0-9a-f]{64})")]
    private static partial Regex LayerLine();
}
