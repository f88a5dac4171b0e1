using System.Text.Json;

namespace LayerBuilder.EngineTests.Support;

/// <summary>The docker CLI, always with an explicit <c>-H</c> to the private test daemon.</summary>
public sealed class DockerEngine(string executable, string host)
{
    /// <summary>Every fixture image carries this label, so dangling leftovers can be pruned without
    /// touching anyone else's images on the daemon.</summary>
    public const string TestLabel = "org.layerbuilder.test";

    public string Host => host;

    public Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(executable, ["-H", host, .. arguments]);

    public Task<ProcessResult> RunCheckedAsync(params string[] arguments) =>
        ProcessRunner.RunCheckedAsync(executable, ["-H", host, .. arguments]);

    /// <summary>
    /// Removes the given names and any dangling fixture image. Fixture layers are unique per build (see
    /// <see cref="FixtureImage"/>), so a load never meets a layer it could reuse unread; tagged images of
    /// other test runs on the same daemon are left alone.
    /// </summary>
    public async Task CleanAsync(IEnumerable<string> names)
    {
        var list = names.ToArray();
        if (list.Length > 0)
        {
            await RunAsync(["image", "rm", "--force", .. list]);
        }

        await RunCheckedAsync("image", "prune", "--force", "--filter", $"label={TestLabel}");
    }

    public async Task<JsonElement> InspectImageAsync(string name)
    {
        var result = await RunCheckedAsync("image", "inspect", name);
        using var document = JsonDocument.Parse(result.StandardOutput);
        Assert.That(document.RootElement.GetArrayLength(), Is.EqualTo(1), result.Describe);
        return document.RootElement[0].Clone();
    }
}
