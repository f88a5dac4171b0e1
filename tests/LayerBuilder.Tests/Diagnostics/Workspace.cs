using System.Text;

namespace LayerBuilder.Tests.Diagnostics;

/// <summary>
/// The folder one bad-input case runs in: the recipe, the host files it names, and an output folder
/// that must still be empty when the run has failed.
/// </summary>
public sealed class Workspace : IDisposable
{
    public Workspace(string fixtures)
    {
        Fixtures = fixtures;
        Folder = Directory.CreateTempSubdirectory("layerbuild-diagnostics-").FullName;
    }

    public string Folder { get; }

    /// <summary>Inputs shared by all cases (base image archives, tars), made once.</summary>
    public string Fixtures { get; }

    public string RecipePath => Path.Combine(Folder, "layerbuild.yml");

    /// <summary>The archive's folder: the build stages its layers here too, so it must end up empty.</summary>
    public string OutputFolder => Path.Combine(Folder, "out");

    public string Output => Path.Combine(OutputFolder, "image.tar");

    public string Write(string relativePath, string content) => Write(relativePath, Encoding.UTF8.GetBytes(content));

    public string Write(string relativePath, byte[] content)
    {
        var path = Path.Combine(Folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    public string CreateFolder(string relativePath) => Directory.CreateDirectory(Path.Combine(Folder, relativePath)).FullName;

    public string CreateFifo(string relativePath) => Support.HostFifo.Create(Path.Combine(Folder, relativePath));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not turn a passing test red.
        }
    }
}
