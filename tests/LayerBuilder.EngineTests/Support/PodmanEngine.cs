using System.Text.Json;

namespace LayerBuilder.EngineTests.Support;

/// <summary>
/// podman with storage of its own (root and tmpdir under the test folder, vfs driver, a runroot of its
/// own): every test starts from an empty store, so each load really verifies every layer's diff id.
/// </summary>
public sealed class PodmanEngine : IAsyncDisposable
{
    // podman refuses a runroot longer than 50 characters (it holds sockets), so it cannot live under
    // an arbitrarily deep test folder.
    private const int MaxRunRootLength = 50;

    private readonly string executable;
    private readonly string root;
    private readonly string runRoot;
    private readonly string tmp;

    public PodmanEngine(string executable, string folder)
    {
        this.executable = executable;
        root = Path.Combine(folder, "root");
        tmp = Directory.CreateDirectory(Path.Combine(folder, "tmp")).FullName;
        var candidate = Path.Combine(Path.GetTempPath(), $"lbp-{Guid.NewGuid():N}"[..12]);
        if (candidate.Length > MaxRunRootLength)
        {
            throw Engines.Unavailable("podman", $"its runroot must be at most {MaxRunRootLength} characters; point TMPDIR at a shorter folder than {Path.GetTempPath()}");
        }

        runRoot = Directory.CreateDirectory(candidate).FullName;
    }

    private string[] Globals => ["--root", root, "--runroot", runRoot, "--tmpdir", tmp, "--storage-driver", "vfs", "--events-backend", "none"];

    public Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(executable, [.. Globals, .. arguments]);

    public Task<ProcessResult> RunCheckedAsync(params string[] arguments) =>
        ProcessRunner.RunCheckedAsync(executable, [.. Globals, .. arguments]);

    public async Task<JsonElement> InspectImageAsync(string name)
    {
        var result = await RunCheckedAsync("image", "inspect", name);
        using var document = JsonDocument.Parse(result.StandardOutput);
        Assert.That(document.RootElement.GetArrayLength(), Is.EqualTo(1), result.Describe);
        return document.RootElement[0].Clone();
    }

    /// <summary>Removes the storage; rootless vfs files belong to sub-uids, so only podman's user
    /// namespace can delete them. The root lies in the test folder, which is removed after this.</summary>
    public async ValueTask DisposeAsync()
    {
        if (HostUser.EffectiveUid != 0)
        {
            await RunAsync("unshare", "rm", "-rf", root, runRoot);
        }

        try
        {
            Directory.Delete(runRoot, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // already gone
        }
    }
}
