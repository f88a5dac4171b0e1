using System.Text.Json;

namespace LayerBuilder.MSBuild.Tests.Support;

/// <summary>
/// A docker-format archive unpacked with the system's tar, read as a loader reads it: manifest.json
/// names the config and the layer tars; the config gives the diff ids, history and runtime config.
/// </summary>
public sealed class ImageArchiveFiles
{
    private ImageArchiveFiles(string folder, JsonElement config, IReadOnlyList<string> layers)
    {
        Folder = folder;
        Config = config;
        LayerPaths = layers;
    }

    public string Folder { get; }

    public JsonElement Config { get; }

    /// <summary>The layer tars, lowest first.</summary>
    public IReadOnlyList<string> LayerPaths { get; }

    public IReadOnlyList<string> DiffIds => [.. Config.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(d => d.GetString()!)];

    /// <summary>What made each layer, lowest first (history entries that are not empty layers).</summary>
    public IReadOnlyList<string> LayerHistory => [.. Config.GetProperty("history").EnumerateArray()
        .Where(h => !(h.TryGetProperty("empty_layer", out var empty) && empty.GetBoolean()))
        .Select(h => h.GetProperty("created_by").GetString()!)];

    public JsonElement RuntimeConfig => Config.GetProperty("config");

    public static async Task<ImageArchiveFiles> UnpackAsync(string archive, string folder)
    {
        Directory.CreateDirectory(folder);
        await ProcessRunner.RunCheckedAsync("tar", ["-xf", archive, "-C", folder]);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        var image = manifest.RootElement[0];
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, image.GetProperty(nameof(Config)).GetString()!))).RootElement.Clone();
        var layers = image.GetProperty("Layers").EnumerateArray().Select(l => Path.Combine(folder, l.GetString()!)).ToList();
        return new ImageArchiveFiles(folder, config, layers);
    }

    /// <summary>The annotations of the OCI manifest that index.json names (an archive in the oci format).</summary>
    public Dictionary<string, string> ManifestAnnotations()
    {
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "index.json")));
        var digest = index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "blobs", "sha256", digest["sha256:".Length..])));
        return manifest.RootElement.TryGetProperty("annotations", out var annotations)
            ? annotations.EnumerateObject().ToDictionary(a => a.Name, a => a.Value.GetString()!)
            : [];
    }

    /// <summary>Extracts one member of a layer beside it and returns its path.</summary>
    public static async Task<string> ExtractAsync(string layer, string member)
    {
        var folder = Directory.CreateDirectory(layer + ".files").FullName;
        await ProcessRunner.RunCheckedAsync("tar", ["-xf", layer, "-C", folder, member]);
        return Path.Combine(folder, member);
    }

    /// <summary>The regular files of a layer, as paths without the leading <c>./</c> or <c>/</c>.</summary>
    public static async Task<IReadOnlyList<string>> FilesOfAsync(string layer)
    {
        var listing = await ProcessRunner.RunCheckedAsync("tar", ["-tvf", layer]);
        return [.. listing.StandardOutput.Split('\n')
            .Where(l => l.StartsWith('-'))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1].TrimStart('.').TrimStart('/'))];
    }
}
