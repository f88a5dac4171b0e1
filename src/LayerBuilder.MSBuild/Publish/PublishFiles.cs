using Microsoft.Build.Framework;

namespace LayerBuilder.MSBuild.Publish;

/// <summary>
/// The publish output sorted by how often it changes (docs/msbuild.md, "Layers"): the .NET runtime of a
/// self-contained app (files from a runtime pack), NuGet package assets (files with a package id), and
/// the app's own files, which are everything else in the publish folder. Paths are relative to the
/// publish folder, '/'-separated, in ordinal order, so the same publish gives the same layers.
/// </summary>
internal sealed record PublishFiles(IReadOnlyList<string> Runtime, IReadOnlyList<string> Packages)
{
    /// <summary>Sorts <paramref name="items"/> (the SDK's <c>ResolvedFileToPublish</c>, with metadata
    /// <c>RelativePath</c> and <c>NuGetPackageId</c>) by the package each came from; the names of
    /// <paramref name="runtimePacks"/> (the SDK's <c>RuntimePack</c> items) mark runtime files.</summary>
    public static PublishFiles From(IEnumerable<ITaskItem> items, IEnumerable<string> runtimePacks)
    {
        var packs = new HashSet<string>(runtimePacks, StringComparer.OrdinalIgnoreCase);
        var runtime = new SortedSet<string>(StringComparer.Ordinal);
        var packages = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var path = item.GetMetadata("RelativePath").Replace('\\', '/').TrimStart('/');
            var package = item.GetMetadata("NuGetPackageId");
            if (path.Length == 0 || package.Length == 0)
            {
                continue;
            }

            (packs.Contains(package) ? runtime : packages).Add(path);
        }

        packages.ExceptWith(runtime);
        return new PublishFiles([.. runtime], [.. packages]);
    }
}
