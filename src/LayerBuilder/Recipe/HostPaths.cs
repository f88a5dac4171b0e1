namespace LayerBuilder.Recipe;

/// <summary>
/// Host paths in a recipe are relative to the recipe's folder unless absolute; a leading <c>~/</c> means
/// the user's home folder, as in a shell (recipes name host files, so people write it).
/// </summary>
internal static class HostPaths
{
    public static string Resolve(string baseDirectory, string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 1 ? path[2..] : "");
        }

        return Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path));
    }
}
