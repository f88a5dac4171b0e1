namespace LayerBuilder.Tests.Support;

/// <summary>The checkout the tests were built from, found by walking up to LayerBuilder.sln.</summary>
public static class RepositoryRoot
{
    public static string Path
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(folder.FullName, "LayerBuilder.sln")))
                {
                    return folder.FullName;
                }
            }

            throw new DirectoryNotFoundException($"no LayerBuilder.sln above {AppContext.BaseDirectory}");
        }
    }

    public static string HelloRecipe => System.IO.Path.Combine(Path, "examples", "hello", "layerbuild.yml");
}
