using System.Diagnostics;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.ProcessBoundary;

/// <summary>
/// <c>-o -</c> when standard output cannot take the archive: a reader that closes the pipe early, a
/// device that is always full, a full file system. The build fails with one LB3001 line, exit 3, no
/// "Wrote:", and its staging folder is removed.
/// </summary>
[Category(NativeToolRerun.Category)]
public sealed class BrokenStandardOutputTests
{
    /// <summary>Far more than a pipe buffers (64 KiB), so the tool is still writing when the reader leaves,
    /// and more than the small file system below holds.</summary>
    private const int LayerFileBytes = 8 << 20;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Test]
    public async Task A_reader_that_closes_the_pipe_early_makes_the_build_fail_with_LB3001_and_exit_3()
    {
        using var workspace = new Workspace();
        using var child = CliProcess.Start(workspace.Arguments, workspace.Path, workspace.Environment, readStdout: true);

        var head = new byte[100];
        using (var reading = new CancellationTokenSource(Timeout))
        {
            await child.StandardOutput.ReadExactlyAsync(head, reading.Token);
        }

        child.StandardOutput.Dispose();
        var run = child.WaitForExit(Timeout);

        workspace.AssertFailedToWrite(run, "Broken pipe");
    }

    [Test]
    public void A_device_that_is_always_full_makes_the_build_fail_with_LB3001_and_exit_3()
    {
        using var workspace = new Workspace();
        using var child = CliProcess.Start(workspace.Arguments, workspace.Path, workspace.Environment, stdoutRedirection: ">/dev/full");

        var run = child.WaitForExit(Timeout);

        workspace.AssertFailedToWrite(run, "No space left on device");
    }

    [Test]
    public void A_full_file_system_makes_the_build_fail_with_LB3001_and_exit_3()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Ignore("mounting a small tmpfs needs root (CI runs as root); /dev/full covers ENOSPC otherwise");
        }

        using var workspace = new Workspace();
        var small = workspace.Folder("small");
        Mount(small);
        try
        {
            using var child = CliProcess.Start(workspace.Arguments, workspace.Path, workspace.Environment, stdoutRedirection: $">'{small}/image.tar'");

            var run = child.WaitForExit(Timeout);

            workspace.AssertFailedToWrite(run, "No space left on device");
        }
        finally
        {
            Unmount(small);
        }
    }

    [Test]
    public void A_file_on_standard_output_gets_the_archive_at_the_shell_offset_and_moves_it()
    {
        using var workspace = new Workspace();
        var expected = workspace.Folder("expected");
        using (var toFile = CliProcess.Start(["layerbuild.yml", "-o", System.IO.Path.Combine(expected, "image.tar"), "-q"], workspace.Path, workspace.Environment))
        {
            Assert.That(toFile.WaitForExit(Timeout).ExitCode, Is.Zero);
        }

        // One open file description for the group: the tool must write where HEAD ended, and TAIL after it.
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = workspace.Path, UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("{ printf HEAD; \"$0\" \"$@\"; printf TAIL; } > grouped.bin");
        foreach (var part in LayerBuilderCli.Command.Concat(workspace.Arguments))
        {
            start.ArgumentList.Add(part);
        }

        foreach (var (name, value) in workspace.Environment)
        {
            start.Environment[name] = value;
        }

        using var shell = Process.Start(start)!;
        var stderr = shell.StandardError.ReadToEndAsync();
        Assert.That(shell.WaitForExit(Timeout), Is.True, "the shell did not finish");
        shell.WaitForExit();
        Assert.That(shell.ExitCode, Is.Zero, stderr.Result);

        var archive = File.ReadAllBytes(System.IO.Path.Combine(expected, "image.tar"));
        Assert.That(File.ReadAllBytes(System.IO.Path.Combine(workspace.Path, "grouped.bin")), Is.EqualTo("HEAD"u8.ToArray().Concat(archive).Concat("TAIL"u8.ToArray()).ToArray()));
    }

    private static void Mount(string folder) => RunOrFail("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", folder);

    private static void Unmount(string folder) => RunOrFail("umount", folder);

    private static void RunOrFail(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)) || process.ExitCode != 0)
        {
            Assert.Fail($"{command} {string.Join(' ', arguments)} failed: {stderr.Result}");
        }
    }

    /// <summary>A recipe with one 8 MiB file, streamed to standard output, with its own cache and temp folders.</summary>
    private sealed class Workspace : IDisposable
    {
        private readonly TempDirectory temp = new();

        public Workspace()
        {
            var content = new byte[LayerFileBytes];
            new Random(42).NextBytes(content);
            temp.WriteFile("data.bin", content);
            temp.WriteFile("layerbuild.yml", "image: example/stream\nsteps:\n  - copy: [{ src: data.bin, dest: /data.bin }]\n");
            temp.CreateFolder("tmp");
        }

        public string Path => temp.Path;

        public string[] Arguments => ["layerbuild.yml", "-o", "-", "-q"];

        public Dictionary<string, string?> Environment => new() { ["XDG_CACHE_HOME"] = temp.Combine("cache"), ["TMPDIR"] = temp.Combine("tmp") };

        public string Folder(string name) => temp.CreateFolder(name);

        public void AssertFailedToWrite(CliRun run, string reason)
        {
            var lines = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Multiple(() =>
            {
                Assert.That(run.ExitCode, Is.EqualTo(3), run.Transcript);
                Assert.That(lines, Has.Length.EqualTo(1), "one line with -q: " + run.Transcript);
                Assert.That(run.StdErr, Does.Contain("error LB3001: cannot write the archive to standard output").And.Contain(reason), run.Transcript);
                Assert.That(run.StdErr, Does.Not.Contain("Wrote:").And.Not.Contain("Exception"), run.Transcript);
                Assert.That(LargeBuild.LayerBuilderEntries(temp.Combine("tmp")), Is.Empty, "the staging folder is removed");
            });
        }

        public void Dispose() => temp.Dispose();
    }
}
