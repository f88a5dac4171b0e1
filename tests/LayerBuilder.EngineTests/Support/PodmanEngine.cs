using System.Text.Json;

namespace LayerBuilder.EngineTests.Support;

/// <summary>
/// podman with storage of its own (root, runroot, tmpdir under the test folder, vfs driver): every
/// test starts from an empty store, so each load really verifies every layer's diff id.
/// </summary>
public sealed class PodmanEngine(string executable, string folder)
{
    private string[] Globals =>
    [
        "--root", Path.Combine(folder, "root"),
        "--runroot", Path.Combine(folder, "run"),
        "--tmpdir", Path.Combine(folder, "tmp"),
        "--storage-driver", "vfs",
        "--events-backend", "none",
    ];

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

    /// <summary>Rootless vfs storage holds files owned by sub-uids; only podman's user namespace can delete them.</summary>
    public async Task RemoveStorageAsync()
    {
        if (HostUser.EffectiveUid != 0 && Directory.Exists(folder))
        {
            await RunAsync("unshare", "rm", "-rf", Path.Combine(folder, "root"), Path.Combine(folder, "run"));
        }
    }
}
