namespace LayerBuilder.MSBuild.Publish;

/// <summary>What <c>LayerBuildBaseImage</c> names: an existing file or folder (relative to the project) is
/// an image archive or layout; anything else is an image reference, kept as written (docs/msbuild.md).</summary>
internal static class PublishBase
{
    /// <summary>The full path of the archive or layout <paramref name="value"/> names, or null when it names
    /// none and so is a reference.</summary>
    public static string? LocalPath(string projectDirectory, string value)
    {
        var path = Path.GetFullPath(Path.Combine(projectDirectory, value.Trim()));
        return File.Exists(path) || Directory.Exists(path) ? path : null;
    }
}
