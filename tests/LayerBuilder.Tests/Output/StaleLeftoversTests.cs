using System.Diagnostics;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Output;

/// <summary>
/// A build killed outright (SIGKILL, a power loss) cannot clean up; the next build does: it removes the
/// staging folders, the archive's temporary files and the cache temporaries whose owner is gone, and never
/// those of a build that is still running.
/// </summary>
[TestFixture]
public sealed class StaleLeftoversTests
{
    private const long BigFileSize = 1L << 30; // long enough to write that the build can be caught at it

    [Test]
    public void The_next_build_removes_what_a_killed_build_left()
    {
        using var workspace = BigWorkspace();
        var output = workspace.Combine("out", "image.tar");
        using var killed = Start(workspace, output);
        List<string> leftovers;
        try
        {
            leftovers = WaitForLeftovers(workspace, killed);
        }
        finally
        {
            Signal(killed, "KILL");
        }

        Assert.That(killed.WaitForExit(TimeSpan.FromMinutes(1)), Is.True);
        Assert.That(leftovers.Where(Exists), Is.EqualTo(leftovers), "SIGKILL left its files (else there is nothing to prove)");

        var next = workspace.Build(output);

        Assert.That(next.ExitCode, Is.Zero, next.Transcript);
        Assert.That(leftovers.Where(Exists), Is.Empty, "the next build removed the dead build's leftovers");
        Assert.That(OutputWorkspace.Entries(workspace.Combine("out")), Is.EqualTo(new[] { "image.tar" }));
    }

    [Test]
    public void The_next_build_leaves_a_running_build_alone()
    {
        using var workspace = BigWorkspace();
        var output = workspace.Combine("out", "image.tar");
        using var running = Start(workspace, output);
        var leftovers = WaitForLeftovers(workspace, running);
        CliRun other;
        try
        {
            other = workspace.Build(output);
            Assert.That(leftovers.Where(Exists), Is.EqualTo(leftovers), "a live build's files were removed");
        }
        catch
        {
            Signal(running, "KILL");
            throw;
        }

        Signal(running, "CONT");

        Assert.That(other.ExitCode, Is.Zero, other.Transcript);
        Assert.That(running.WaitForExit(TimeSpan.FromMinutes(3)), Is.True, "the running build did not finish");
        Assert.That(running.ExitCode, Is.Zero, running.StandardError.ReadToEnd());
        Assert.That(OutputWorkspace.Entries(workspace.Combine("out")), Is.EqualTo(new[] { "image.tar" }));
    }

    /// <summary>The default recipe copies small files; big.yml copies one large (sparse) file into a
    /// one-layer image, whose layer is written straight into the archive's temporary file.</summary>
    private static OutputWorkspace BigWorkspace()
    {
        var workspace = new OutputWorkspace();
        using (var big = File.Create(workspace.Combine("big.bin")))
        {
            big.SetLength(BigFileSize);
        }

        return workspace;
    }

    private static Process Start(OutputWorkspace workspace, string output)
    {
        var big = workspace.WriteFile("big.yml", """
            image: output/big
            created: "2024-01-01T00:00:00Z"
            steps:
              - copy: [{ src: big.bin, dest: /big.bin }]
            """);
        var start = new ProcessStartInfo(LayerBuilderCli.Command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workspace.Root,
        };
        foreach (var argument in LayerBuilderCli.Command.Skip(1).Concat([big, "-o", output, "-q"]))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["XDG_CACHE_HOME"] = workspace.Cache;
        start.Environment.Remove("SOURCE_DATE_EPOCH");
        return Process.Start(start)!;
    }

    /// <summary>Waits until the build has its staging folder, the archive's temporary file and a cache
    /// temporary, then stops it (SIGSTOP) so it holds them while the test looks.</summary>
    private static List<string> WaitForLeftovers(OutputWorkspace workspace, Process build)
    {
        var clock = Stopwatch.StartNew();
        var outFolder = workspace.Combine("out");
        var cacheTemp = Path.Combine(workspace.Cache, "layerbuilder", "tmp");
        while (clock.Elapsed < TimeSpan.FromMinutes(1) && !build.HasExited)
        {
            var found = Find(outFolder, ".layerbuild-*").Concat(Find(outFolder, ".image.tar.*.partial")).Concat(Find(cacheTemp, "*.partial")).ToList();
            if (found.Count == 3)
            {
                Signal(build, "STOP");
                return found;
            }

            Thread.Sleep(5);
        }

        Signal(build, "KILL");
        Assert.Fail($"the build never had its three temporaries at once (exited: {build.HasExited})");
        return [];
    }

    private static IEnumerable<string> Find(string folder, string pattern) =>
        Directory.Exists(folder) ? Directory.EnumerateFileSystemEntries(folder, pattern) : [];

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
