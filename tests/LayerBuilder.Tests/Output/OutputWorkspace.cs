using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Output;

/// <summary>
/// A folder with a two-step recipe (a copied file, a copied folder, an extracted tar), a private layer
/// cache and the real CLI, for tests about where the archive goes and what a build leaves behind.
/// </summary>
public sealed class OutputWorkspace : IDisposable
{
    private readonly TempDirectory temp = new();

    public OutputWorkspace(string? recipe = null)
    {
        temp.WriteFile("src/app.txt", "application\n");
        temp.WriteFile("src/data/a.txt", "alpha\n");
        temp.WriteFile("src/data/b.txt", "beta\n");
        new RootfsTar().Folder("tool/").File("tool/run.sh", "#!/bin/sh\necho run\n", mode: 0x1ED).WriteTo(temp.Combine("vendor.tar"));
        Recipe = temp.WriteFile("layerbuild.yml", recipe ?? """
            image: output/test
            created: "2024-01-01T00:00:00Z"
            steps:
              - name: app
                copy: [{ src: src/app.txt, dest: /app/ }]
              - name: data
                copy: [{ src: src/data, dest: /data/ }]
                extract: [{ src: vendor.tar, dest: /opt }]
            """);
    }

    public string Root => temp.Path;

    public string Recipe { get; }

    public string Cache => temp.Combine("cache");

    public string Combine(params string[] parts) => temp.Combine(parts);

    public string WriteFile(string relative, string content) => temp.WriteFile(relative, content);

    /// <summary>Runs the CLI on the recipe with <c>-o</c> <paramref name="output"/> and this workspace's cache.</summary>
    public CliRun Build(string output, params string[] more) => Build(output, Cache, more);

    public CliRun Build(string output, string cacheHome, params string[] more) =>
        LayerBuilderCli.Run([Recipe, "-o", output, .. more], Root, new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = cacheHome });

    /// <summary>The files and folders under <paramref name="folder"/>, relative, for "nothing was left" checks.</summary>
    public static IReadOnlyList<string> Entries(string folder) => Directory.Exists(folder)
        ? Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(folder, p)).Order(StringComparer.Ordinal).ToList()
        : [];

    public void Dispose() => temp.Dispose();
}
