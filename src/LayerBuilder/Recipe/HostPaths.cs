namespace LayerBuilder.Recipe;

/// <summary>Host paths in a recipe are relative to the recipe's folder unless absolute.</summary>
internal static class HostPaths
{
    public static string Resolve(string baseDirectory, string path) =>
        Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path));
}
