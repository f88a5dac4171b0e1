using System.Text.Json;
using LayerBuilder.Archive;
using LayerBuilder.Build;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace LayerBuilder.MSBuild;

/// <summary>
/// What the last build wrote, kept beside the intermediate output. When the <c>LayerBuild</c> target is
/// skipped as up to date, no task runs, so the <c>LayerBuildImage</c> item's metadata has to come from here.
/// </summary>
internal sealed record ImageState(string Archive, string ImageId, string ManifestDigest, IReadOnlyList<string> Tags, string Format)
{
    /// <summary>The manifest digest the registry holds after a push (LayerBuildPush); null without one.</summary>
    public string? PushedManifestDigest { get; init; }

    /// <summary>The image index's digest, for an image of several platforms (LayerBuildRuntimeIdentifiers);
    /// null for one platform.</summary>
    public string? IndexDigest { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static ImageState From(BuildResult result, ArchiveFormat format) => new(
        result.OutputPath,
        result.ImageId.ToString(),
        result.ManifestDigest.ToString(),
        result.RepoTags,
        OutputNames.NameOf(format))
    {
        PushedManifestDigest = result.PushedManifestDigest?.ToString(),
        IndexDigest = result.IndexDigest?.ToString(),
    };

    /// <summary>The recorded state, or null when the file is missing or unreadable. The archive path in it
    /// is not checked: a moved project or another LayerBuildOutput changes the target's outputs or settings
    /// stamp, so the target runs again and rewrites this file before anyone relies on a stale one.</summary>
    public static ImageState? TryRead(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ImageState>(File.ReadAllText(path), Json);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }
    }

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
    }

    /// <summary>The <c>LayerBuildImage</c> item: the archive, with what later targets need to load or push it.</summary>
    public ITaskItem ToItem(string? archive = null)
    {
        var item = new TaskItem(archive ?? Archive);
        item.SetMetadata("ImageId", ImageId);
        item.SetMetadata("ManifestDigest", ManifestDigest);
        item.SetMetadata("Tags", string.Join(";", Tags));
        item.SetMetadata("Format", Format);
        if (IndexDigest is not null)
        {
            item.SetMetadata("IndexDigest", IndexDigest);
        }

        if (PushedManifestDigest is not null)
        {
            item.SetMetadata("PushedManifestDigest", PushedManifestDigest);
        }

        return item;
    }
}
