using System.Net;
using System.Net.Sockets;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.ProcessBoundary;

/// <summary>
/// <c>--load</c> and <c>--push</c> when the engine or registry is not there, run as the real tool: one
/// clear LB5xxx line, exit 1, and nothing written (no default archive, and no <c>-o</c> archive either).
/// The engine tests prove the successful loads and pushes against a real docker engine and registries.
/// </summary>
public sealed class LoadAndPushCliTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Test]
    public void Load_with_a_tcp_DOCKER_HOST_is_LB5030_and_writes_no_archive()
    {
        using var temp = SmallRecipe("example/small");

        var run = Run(temp, ["layerbuild.yml", "--load"], new() { ["DOCKER_HOST"] = "tcp://127.0.0.1:2375" });

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Transcript);
        Assert.That(run.StdErr, Does.Contain("DOCKER_HOST:1:1: error LB5030: the docker engine 'tcp://127.0.0.1:2375' is not a unix socket"), run.Transcript);
        Assert.That(Directory.EnumerateFiles(temp.Path, "*.tar*", SearchOption.AllDirectories), Is.Empty, run.Transcript);
    }

    [Test]
    public void Load_into_an_engine_that_is_not_there_is_LB5031_and_writes_nothing_even_with_o()
    {
        using var temp = SmallRecipe("example/small");
        var socket = temp.Combine("no-engine.sock");

        var run = Run(temp, ["layerbuild.yml", "--load", "-o", "out/small.tar"], new() { ["DOCKER_HOST"] = "unix://" + socket });

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Transcript);
        Assert.That(run.StdErr.Trim(), Is.EqualTo($"error LB5031: cannot reach the docker engine at unix://{socket}: there is no socket at {socket}: is the docker engine running? (DOCKER_HOST names its socket)"), run.Transcript);
        Assert.That(Directory.Exists(temp.Combine("out")), Is.False, "the engine is asked before anything is built");
        Assert.That(run.StdOut, Is.Empty);
    }

    [Test]
    public void Push_to_a_registry_port_nobody_listens_on_is_LB5002_within_seconds_and_writes_nothing()
    {
        var port = ClosedPort();
        using var temp = SmallRecipe($"127.0.0.1:{port}/team/small");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var run = Run(temp, ["layerbuild.yml", "--push", "-o", "out/small.tar"], new() { ["DOCKER_CONFIG"] = temp.Combine("no-docker-config") });

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Transcript);
        Assert.That(run.StdErr, Does.Contain("error LB5002:").And.Contain($"127.0.0.1:{port}").And.Contain("refused"), run.Transcript);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)), "a refused connection is not retried");
        Assert.That(File.Exists(temp.Combine("out", "small.tar")), Is.False, "a failed push leaves no archive");
        Assert.That(Directory.EnumerateFiles(temp.Path, "*.tar*", SearchOption.AllDirectories), Is.Empty, run.Transcript);
    }

    [Test]
    public void Compression_with_the_docker_format_is_a_usage_error_unless_the_image_is_pushed()
    {
        using var temp = SmallRecipe("example/small");

        var run = Run(temp, ["layerbuild.yml", "--compression", "gzip"], []);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Transcript);
        Assert.That(run.StdErr, Does.Contain("--compression applies to --format oci and to --push"), run.Transcript);
    }

    private static TempDirectory SmallRecipe(string image)
    {
        var temp = new TempDirectory();
        temp.WriteFile("hello.txt", "hello\n");
        temp.WriteFile("layerbuild.yml", $"image: {image}\nsteps:\n  - copy: [{{ src: hello.txt, dest: /hello.txt }}]\n");
        return temp;
    }

    private static CliRun Run(TempDirectory temp, string[] arguments, Dictionary<string, string?> environment)
    {
        environment["XDG_CACHE_HOME"] = temp.Combine("cache");
        using var child = CliProcess.Start(arguments, temp.Path, environment);
        return child.WaitForExit(Timeout);
    }

    /// <summary>A loopback port that was free a moment ago: connecting to it is refused.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
