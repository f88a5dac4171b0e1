namespace LayerBuilder.Tests.Schema;

/// <summary>
/// Files of the repository the tests compare against (the schema, the docs, the examples). They are
/// read from the source tree, found by walking up from the test assembly to LayerBuilder.sln, so a
/// test always sees the same copy a user edits.
/// </summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string SchemaPath => Path.Combine(Root, "schema", "layerbuild.schema.json");

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "LayerBuilder.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no LayerBuilder.sln above {AppContext.BaseDirectory}");
    }
}
