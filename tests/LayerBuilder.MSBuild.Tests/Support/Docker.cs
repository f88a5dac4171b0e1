namespace LayerBuilder.MSBuild.Tests.Support;

/// <summary>The docker CLI, always with an explicit <c>-H</c> to the private test daemon.</summary>
public sealed class Docker(string executable, string host)
{
    /// <summary>The daemon's address, as <c>DOCKER_HOST</c> names it.</summary>
    public string Host => host;

    public Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(executable, ["-H", host, .. arguments]);

    public Task<ProcessResult> RunCheckedAsync(params string[] arguments) =>
        ProcessRunner.RunCheckedAsync(executable, ["-H", host, .. arguments]);

    /// <summary>Loads an archive and returns what docker says it loaded.</summary>
    public async Task<string> LoadAsync(string archive) => (await RunCheckedAsync("load", "-i", archive)).StandardOutput;

    /// <summary>Runs the image's entrypoint with no network, as a user trying the image would.</summary>
    public async Task<string> RunImageAsync(string image) =>
        (await RunCheckedAsync("run", "--rm", "--network", "none", image)).StandardOutput;

    public async Task RemoveImagesAsync(IEnumerable<string> names)
    {
        var list = names.ToArray();
        if (list.Length > 0)
        {
            await RunAsync(["image", "rm", "--force", .. list]);
        }
    }
}
