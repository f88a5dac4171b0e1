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

    /// <summary>Makes a named pipe (.NET has no API for one; <c>mkfifo</c> is on every Linux host).</summary>
    public string CreateFifo(string relativePath)
    {
        var path = Path.Combine(Folder, relativePath);
        using var mkfifo = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        if (mkfifo.ExitCode != 0)
        {
            throw new IOException($"mkfifo {path} failed with exit code {mkfifo.ExitCode}");
        }

        return path;
    }

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
