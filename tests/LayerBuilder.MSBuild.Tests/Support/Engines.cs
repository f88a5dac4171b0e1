using System.Diagnostics;

namespace LayerBuilder.MSBuild.Tests.Support;

/// <summary>
/// What these tests need from the machine besides the SDK: a docker daemon (only the private one named
/// by LAYERBUILDER_DOCKER_HOST, never the machine's default) and debootstrap for the base. A missing one
/// skips the test, or fails it when LAYERBUILDER_REQUIRE_ENGINES=1 (CI), so a broken set-up cannot pass
/// as green.
/// </summary>
public static class Engines
{
    public const string RequireVariable = "LAYERBUILDER_REQUIRE_ENGINES";
    public const string DockerHostVariable = "LAYERBUILDER_DOCKER_HOST";

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Ends the test: ignored normally, failed when engines are required. Never returns; the
    /// return type lets callers write <c>throw Engines.Unavailable(...)</c>.</summary>
    public static Exception Unavailable(string what, string reason)
    {
        var message = $"{what} is not available: {reason}";
        if (Required)
        {
            Assert.Fail($"{message} ({RequireVariable}=1, so a missing engine is a failure)");
        }

        Assert.Ignore(message);
        return new UnreachableException();
    }

    public static async Task<Docker> DockerAsync()
    {
        var executable = ProcessRunner.Find("docker") ?? throw Unavailable("docker", "the docker command is not on PATH");
        var host = Environment.GetEnvironmentVariable(DockerHostVariable);
        if (string.IsNullOrWhiteSpace(host))
        {
            throw Unavailable("docker", $"{DockerHostVariable} is not set; start a private daemon with `eval \"$(.ci/start-engines FOLDER)\"`");
        }

        var docker = new Docker(executable, host);
        var probe = await docker.RunAsync("version", "--format", "{{.Server.Version}}");
        if (!probe.Succeeded)
        {
            throw Unavailable("docker", $"the daemon at {host} does not answer:\n{probe.Describe()}");
        }

        return docker;
    }
}
