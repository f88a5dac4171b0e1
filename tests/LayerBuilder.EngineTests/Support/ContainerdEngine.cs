namespace LayerBuilder.EngineTests.Support;

/// <summary>
/// ctr against the private containerd, in a namespace made for one test: a fresh namespace has no
/// content and no snapshots, so every import unpacks (and diff-id checks) every layer.
/// </summary>
public sealed class ContainerdEngine(string executable, string address, string ns) : IAsyncDisposable
{
    public string Namespace => ns;

    public Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(executable, ["--address", address, "--namespace", ns, .. arguments]);

    public Task<ProcessResult> RunCheckedAsync(params string[] arguments) =>
        ProcessRunner.RunCheckedAsync(executable, ["--address", address, "--namespace", ns, .. arguments]);

    /// <summary>Deletes the images (synchronously garbage-collecting their content and snapshots),
    /// then the namespace itself.</summary>
    public async ValueTask DisposeAsync()
    {
        var images = await RunAsync("images", "ls", "--quiet");
        var names = images.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length > 0)
        {
            await RunAsync(["images", "rm", "--sync", .. names]);
        }

        var removed = await ProcessRunner.RunAsync(executable, ["--address", address, "namespaces", "rm", ns]);
        if (!removed.Succeeded)
        {
            TestContext.Progress.WriteLine($"containerd namespace {ns} was left behind:\n{removed.Describe()}");
        }
    }
}
