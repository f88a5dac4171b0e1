using System.Diagnostics;

namespace LayerBuilder.EngineTests.Support;

/// <summary>
/// Finds the container engines the archives are proven against. Each engine is private to the tests:
/// docker only through LAYERBUILDER_DOCKER_HOST (never the machine's default daemon), podman with its
/// own storage, ctr in a namespace of its own. A missing engine skips the test, or fails it when
/// LAYERBUILDER_REQUIRE_ENGINES=1 (CI), so a broken engine set-up can never pass as green.
/// </summary>
public static class Engines
{
    public const string RequireVariable = "LAYERBUILDER_REQUIRE_ENGINES";
    public const string DockerHostVariable = "LAYERBUILDER_DOCKER_HOST";
    public const string ContainerdAddressVariable = "LAYERBUILDER_CONTAINERD_ADDRESS";
    public const string TempVariable = "LAYERBUILDER_ENGINE_TEMP";

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Ends the test: ignored (skipped) normally, failed when engines are required. Never
    /// returns; the return type lets callers write <c>throw Engines.Unavailable(...)</c>.</summary>
    public static Exception Unavailable(string engine, string reason)
    {
        var message = $"{engine} is not available: {reason}";
        if (Required)
        {
            Assert.Fail($"{message} ({RequireVariable}=1, so a missing engine is a failure)");
        }

        Assert.Ignore(message);
        return new UnreachableException();
    }

    public static async Task<DockerEngine> DockerAsync()
    {
        var docker = Executable("docker", "docker");
        var host = Environment.GetEnvironmentVariable(DockerHostVariable);
        if (string.IsNullOrWhiteSpace(host))
        {
            throw Unavailable("docker", $"{DockerHostVariable} is not set; start a private daemon with `eval \"$(.ci/start-engines FOLDER)\"`");
        }

        var engine = new DockerEngine(docker, host);
        var probe = await engine.RunAsync("version", "--format", "{{.Server.Version}}");
        if (!probe.Succeeded)
        {
            throw Unavailable("docker", $"the daemon at {host} does not answer:\n{probe.Describe()}");
        }

        return engine;
    }

    public static async Task<PodmanEngine> PodmanAsync(TempFolder work)
    {
        var podman = Executable("podman", "podman");
        var engine = new PodmanEngine(podman, work.Combine("podman"));
        var probe = await engine.RunAsync("version", "--format", "{{.Client.Version}}");
        if (!probe.Succeeded)
        {
            throw Unavailable("podman", probe.Describe());
        }

        return engine;
    }

    public static async Task<SkopeoEngine> SkopeoAsync(TempFolder work)
    {
        var skopeo = Executable("skopeo", "skopeo");
        var engine = new SkopeoEngine(skopeo, work.Combine("skopeo-tmp"));
        var probe = await ProcessRunner.RunAsync(skopeo, ["--version"]);
        if (!probe.Succeeded)
        {
            throw Unavailable("skopeo", probe.Describe());
        }

        return engine;
    }

    /// <summary>ctr against the containerd that the private dockerd manages, in a fresh namespace.</summary>
    public static async Task<ContainerdEngine> ContainerdAsync()
    {
        var ctr = Executable("containerd (ctr)", "ctr");
        var address = Environment.GetEnvironmentVariable(ContainerdAddressVariable);
        if (string.IsNullOrWhiteSpace(address))
        {
            throw Unavailable("containerd", $"{ContainerdAddressVariable} is not set; start a private daemon with `eval \"$(.ci/start-engines FOLDER)\"`");
        }

        var engine = new ContainerdEngine(ctr, address, $"lbe-{Guid.NewGuid():N}"[..16]);
        var probe = await engine.RunAsync("version");
        if (!probe.Succeeded)
        {
            throw Unavailable("containerd", $"containerd at {address} does not answer:\n{probe.Describe()}");
        }

        return engine;
    }

    public static async Task<UmociEngine> UmociAsync(bool rootless)
    {
        if (!rootless && HostUser.EffectiveUid != 0)
        {
            // Not a missing engine: this user cannot chown, and the rootless case covers it.
            Assert.Ignore("unpacking with owners needs root");
        }

        var umoci = Executable("umoci", "umoci");
        var probe = await ProcessRunner.RunAsync(umoci, ["--version"]);
        if (!probe.Succeeded)
        {
            throw Unavailable("umoci", probe.Describe());
        }

        return new UmociEngine(umoci, rootless);
    }

    /// <summary>A statically linked busybox: the whole userland of the fixture image.</summary>
    public static string StaticBusybox()
    {
        var busybox = Executable("busybox", "busybox");
        if (!Elf.IsStaticallyLinked(busybox, out var problem))
        {
            throw Unavailable("busybox", $"{busybox} {problem}; the fixture image has no libc, so install busybox-static");
        }

        return busybox;
    }

    /// <summary>Where test folders go: the engine folder's temp when set (CI removes it as a whole).</summary>
    public static string WorkRoot()
    {
        var root = Environment.GetEnvironmentVariable(TempVariable);
        return string.IsNullOrWhiteSpace(root) ? Path.GetTempPath() : root;
    }

    private static string Executable(string engine, string name) =>
        ProcessRunner.Find(name) ?? throw Unavailable(engine, $"`{name}` is not on PATH");
}
