using System.Text.Json;

namespace LayerBuilder.EngineTests.Support;

/// <summary>The docker CLI, always with an explicit <c>-H</c> to the private test daemon.</summary>
public sealed class DockerEngine(string executable, string host)
{
    /// <summary>Every fixture image carries this label, so leftovers of earlier runs can be pruned
    /// without touching anyone else's images on the daemon.</summary>
    public const string TestLabel = "org.layerbuilder.test";

    public string Host => host;

    public Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(executable, ["-H", host, .. arguments]);

    public Task<ProcessResult> RunCheckedAsync(params string[] arguments) =>
        ProcessRunner.RunCheckedAsync(executable, ["-H", host, .. arguments]);

    /// <summary>
    /// Removes the given names and every unused fixture image, so the next load registers each layer
    /// afresh: docker skips (and does not verify) a layer whose chain id it already has.
    /// </summary>
    public async Task CleanAsync(IEnumerable<string> names)
    {
        var list = names.ToArray();
        if (list.Length > 0)
        {
            await RunAsync(["image", "rm", "--force", .. list]);
        }

        await RunCheckedAsync("image", "prune", "--all", "--force", "--filter", $"label={TestLabel}");
    }

    public async Task<JsonElement> InspectImageAsync(string name)
    {
        var result = await RunCheckedAsync("image", "inspect", name);
        using var document = JsonDocument.Parse(result.StandardOutput);
        Assert.That(document.RootElement.GetArrayLength(), Is.EqualTo(1), result.Describe);
        return document.RootElement[0].Clone();
    }
}
