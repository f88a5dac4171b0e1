using System.Diagnostics;
using LayerBuilder.Tests.Diagnostics;

namespace LayerBuilder.Tests.Hostile;

/// <summary>
/// A named pipe given as an extract source, a base rootfs or a base image archive: <c>File.Exists</c> is
/// true for it and opening it blocks until something writes, so the build used to hang forever. It is
/// refused (LB2012) before it is opened. On a timeout the test opens the pipe for writing itself, so a
/// hung build is released and fails the test instead of the run.
/// </summary>
public sealed class NonRegularInputTests
{
    [TestCase("steps:\n  - extract:\n      - { src: »pipe.tar, dest: /opt }\n", TestName = "A FIFO as extract src is refused")]
    [TestCase("base: { rootfs: »pipe.tar }\n", TestName = "A FIFO as base rootfs is refused")]
    [TestCase("base: { image: »pipe.tar }\n", TestName = "A FIFO as base image archive is refused")]
    public async Task A_named_pipe_is_refused_before_it_is_opened(string recipe)
    {
        using var workspace = new Workspace(Path.GetTempPath());
        var marked = "image: example/fifo\ncreated: \"2024-01-01T00:00:00Z\"\n" + recipe;
        var line = marked.Split('\n').Select((text, i) => (text, i)).First(l => l.text.Contains(BadInput.Marker));
        workspace.Write("layerbuild.yml", marked.Replace(BadInput.Marker.ToString(), "", StringComparison.Ordinal));
        var pipe = Path.Combine(workspace.Folder, "pipe.tar");
        MakeFifo(pipe);

        var (exitCode, stdout, stderr) = await HostileTarTests.RunAsync([workspace.RecipePath, "-o", workspace.Output, "--no-cache"], onTimeout: () => Release(pipe));

        var transcript = $"exit code {exitCode}\n--- stdout\n{stdout}\n--- stderr\n{stderr}";
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), transcript);
            Assert.That(stderr, Does.Contain($"{workspace.RecipePath}:{line.i + 1}:{line.text.IndexOf(BadInput.Marker) + 1}: error LB2012:"), transcript);
            Assert.That(stderr, Does.Contain("named pipe").And.Contain("pipe.tar").And.Not.Contain("Exception"), transcript);
            Assert.That(File.Exists(workspace.Output), Is.False, transcript);
        });
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.That(mkfifo.ExitCode, Is.Zero, "mkfifo failed");
    }

    /// <summary>Opens the pipe for writing and closes it: a reader blocked in open() then sees end of file.</summary>
    private static void Release(string pipe)
    {
        using var writer = new FileStream(pipe, FileMode.Open, FileAccess.Write);
    }
}
