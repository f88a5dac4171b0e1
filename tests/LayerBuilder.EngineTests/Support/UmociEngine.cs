namespace LayerBuilder.EngineTests.Support;

/// <summary>umoci; with <c>--rootless</c> it unpacks without root and without chown.</summary>
public sealed record UmociEngine(string Executable, bool Rootless)
{
    public Task<ProcessResult> UnpackAsync(string layout, string reference, string bundle) =>
        ProcessRunner.RunAsync(Executable, Rootless
            ? ["unpack", "--rootless", "--image", $"{layout}:{reference}", bundle]
            : ["unpack", "--image", $"{layout}:{reference}", bundle]);
}
