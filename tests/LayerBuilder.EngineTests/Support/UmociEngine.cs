namespace LayerBuilder.EngineTests.Support;

/// <summary>umoci; <c>--rootless</c> when the tests do not run as root (it then cannot chown).</summary>
public sealed record UmociEngine(string Executable, bool Rootless)
{
    public Task<ProcessResult> UnpackAsync(string layout, string reference, string bundle) =>
        ProcessRunner.RunAsync(Executable, Rootless
            ? ["unpack", "--rootless", "--image", $"{layout}:{reference}", bundle]
            : ["unpack", "--image", $"{layout}:{reference}", bundle]);
}
