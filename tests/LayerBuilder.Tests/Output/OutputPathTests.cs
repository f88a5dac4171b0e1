using System.Diagnostics;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Output;

/// <summary>
/// Where <c>-o</c> may point: never at an input (LB3003), never at something that is not a regular file
/// (LB3004), never inside a folder a copy reads (LB3002); refused before anything is written. An output
/// folder that cannot be written is LB3001 (exit 3), and folders a failed build created are removed.
/// </summary>
[TestFixture]
public sealed class OutputPathTests
{
    [TestCase("layerbuild.yml", TestName = "-o naming the recipe is refused")]
    [TestCase("src/app.txt", TestName = "-o naming a copied file is refused")]
    [TestCase("vendor.tar", TestName = "-o naming an extract source is refused")]
    public void An_output_that_is_an_input_is_refused_and_the_input_is_untouched(string input)
    {
        using var workspace = new OutputWorkspace();
        AssertRefusedAndUntouched(workspace, workspace.Combine(input), "LB3003");
    }

    [Test]
    public void An_output_that_is_an_input_under_another_name_is_refused()
    {
        using var workspace = new OutputWorkspace();
        var alias = workspace.Combine("alias.tar");
        HostLinks.CreateHardLink(workspace.Combine("src", "app.txt"), alias);

        AssertRefusedAndUntouched(workspace, alias, "LB3003");
    }

    [Test]
    public void An_output_that_is_a_glob_copied_file_under_another_name_is_refused()
    {
        using var workspace = new OutputWorkspace("""
            image: output/test
            created: "2024-01-01T00:00:00Z"
            steps:
              - copy: [{ src: "src/*.txt", dest: /app/ }]
            """);
        var alias = workspace.Combine("alias.tar");
        HostLinks.CreateHardLink(workspace.Combine("src", "app.txt"), alias);

        AssertRefusedAndUntouched(workspace, alias, "LB3003");
    }

    [Test]
    public void An_output_that_is_the_base_rootfs_tar_is_refused()
    {
        using var workspace = new OutputWorkspace("""
            image: output/test
            created: "2024-01-01T00:00:00Z"
            base: { rootfs: vendor.tar }
            steps:
              - copy: [{ src: src/app.txt, dest: /app/ }]
            """);
        AssertRefusedAndUntouched(workspace, workspace.Combine("vendor.tar"), "LB3003");
    }

    [Test]
    public void A_fifo_at_the_output_path_is_refused_and_stays_a_fifo()
    {
        using var workspace = new OutputWorkspace();
        var fifo = workspace.Combine("image.tar");
        Run("mkfifo", fifo);

        var run = workspace.Build(fifo);

        AssertRefused(run, "LB3004");
        Assert.That(File.GetAttributes(fifo).HasFlag(FileAttributes.Directory), Is.False);
        Assert.That(Kind(fifo), Is.EqualTo("fifo"), "the FIFO was replaced");
    }

    [Test]
    public void A_symbolic_link_at_the_output_path_is_refused_and_stays_a_link()
    {
        using var workspace = new OutputWorkspace();
        var target = workspace.WriteFile("elsewhere.txt", "keep me\n");
        var link = workspace.Combine("image.tar");
        File.CreateSymbolicLink(link, target);

        var run = workspace.Build(link);

        AssertRefused(run, "LB3004");
        Assert.That(new FileInfo(link).LinkTarget, Is.EqualTo(target), "the link was replaced");
        Assert.That(File.ReadAllText(target), Is.EqualTo("keep me\n"));
    }

    [Test]
    public void A_character_device_at_the_output_path_is_refused_and_stays_a_device()
    {
        using var workspace = new OutputWorkspace();

        // As root a private device node (the same as /dev/null) stands in for the system's, which a
        // failing product would replace; others cannot make one, and cannot replace /dev/null either.
        var device = IsRoot() ? workspace.Combine("null") : "/dev/null";
        if (IsRoot())
        {
            Run("mknod", device, "c", "1", "3");
        }

        var run = workspace.Build(device);

        AssertRefused(run, "LB3004");
        Assert.That(Kind(device), Is.EqualTo("character special file"), "the device was replaced");
    }

    [Test]
    public void A_folder_at_the_output_path_is_refused()
    {
        using var workspace = new OutputWorkspace();
        var folder = Directory.CreateDirectory(workspace.Combine("image.tar")).FullName;

        var run = workspace.Build(folder);

        AssertRefused(run, "LB3004");
        Assert.That(Directory.Exists(folder), Is.True);
        Assert.That(OutputWorkspace.Entries(folder), Is.Empty);
    }

    [TestCase("src/*", "src/out/image.tar", TestName = "-o inside a folder a glob copy matches is refused")]
    [TestCase("src/*.tar", "src/image.tar", TestName = "-o that a glob copy would match is refused")]
    [TestCase("src/**/*.txt", "src/data/image.txt", TestName = "-o that a recursive glob copy would match is refused")]
    public void An_output_that_a_glob_copy_reads_is_refused(string glob, string output)
    {
        using var workspace = new OutputWorkspace($$"""
            image: output/test
            created: "2024-01-01T00:00:00Z"
            steps:
              - copy: [{ src: "{{glob}}", dest: /app/ }]
            """);
        var run = workspace.Build(workspace.Combine(output));

        AssertRefused(run, "LB3002");
        Assert.That(File.Exists(workspace.Combine(output)), Is.False);
    }

    [Test]
    public void A_glob_copy_elsewhere_does_not_refuse_an_output_beside_it()
    {
        using var workspace = new OutputWorkspace("""
            image: output/test
            created: "2024-01-01T00:00:00Z"
            steps:
              - copy: [{ src: "src/*.txt", dest: /app/ }]
            """);
        var run = workspace.Build(workspace.Combine("src", "image.tar"));

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Transcript);
    }

    [Test]
    public void A_read_only_output_folder_is_LB3001_with_exit_3()
    {
        using var workspace = new OutputWorkspace();
        var folder = Directory.CreateDirectory(workspace.Combine("out")).FullName;
        CliRun run;
        using (new ReadOnlyFolder(folder))
        {
            run = workspace.Build(Path.Combine(folder, "image.tar"));
        }

        AssertRefused(run, "LB3001");
        Assert.That(OutputWorkspace.Entries(folder), Is.Empty);
    }

    [Test]
    public void Output_folders_a_failed_build_created_are_removed()
    {
        using var workspace = new OutputWorkspace("""
            image: output/test
            created: "2024-01-01T00:00:00Z"
            steps:
              - copy: [{ src: src/missing.txt, dest: /app/ }]
            """);
        var run = workspace.Build(workspace.Combine("new", "deeper", "image.tar"));

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Transcript);
        Assert.That(run.StdErr, Does.Contain("LB2001"), run.Transcript);
        Assert.That(Directory.Exists(workspace.Combine("new")), Is.False, "the build left the folders it created");
    }

    [Test]
    public void Output_folders_a_successful_build_created_stay()
    {
        using var workspace = new OutputWorkspace();
        var output = workspace.Combine("new", "deeper", "image.tar");

        var run = workspace.Build(output);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Transcript);
        Assert.That(OutputWorkspace.Entries(workspace.Combine("new")), Is.EqualTo(new[] { "deeper", Path.Combine("deeper", "image.tar") }));
    }

    private static void AssertRefusedAndUntouched(OutputWorkspace workspace, string input, string code)
    {
        var before = File.ReadAllBytes(input);
        var run = workspace.Build(input);

        AssertRefused(run, code);
        Assert.That(File.ReadAllBytes(input), Is.EqualTo(before), "the input was overwritten");
        Assert.That(OutputWorkspace.Entries(workspace.Root).Where(e => e.Contains(".layerbuild-", StringComparison.Ordinal) || e.EndsWith(".partial", StringComparison.Ordinal)), Is.Empty);
    }

    private static void AssertRefused(CliRun run, string code)
    {
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(3), run.Transcript);
            Assert.That(run.StdErr, Does.Contain($"error {code}:"), run.Transcript);
            Assert.That(run.StdErr, Does.Not.Contain("Exception").And.Not.Contain("LB9001"), run.Transcript);
            Assert.That(run.StdOut, Does.Not.Contain("Wrote:"), run.Transcript);
        });
    }

    private static bool IsRoot() => File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");

    private static string Kind(string path) => Run("stat", "-c", "%F", path).Trim();

    private static string Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        Assert.That(process.WaitForExit(TimeSpan.FromSeconds(30)) && process.ExitCode == 0, Is.True, $"{program} {string.Join(' ', arguments)}: {error}");
        return output;
    }
}
