using System.Text.Json;
using LayerBuilder.EngineTests.Support;

namespace LayerBuilder.EngineTests.Differential;

/// <summary>One entry of a merged file system as the independent lister (list_filesystem.py) reads it.</summary>
public sealed record FilesystemEntry(string Path, string Type, string Mode, string Owner, long Size, string Link, string Sha256);

/// <summary>
/// The merged file system of an image as the engine gives it: a container is created (never started),
/// <c>docker export</c>ed, and the tar listed by Python's tarfile, an implementation neither builder shares.
/// </summary>
public static class ExportedFilesystem
{
    public static async Task<IReadOnlyDictionary<string, FilesystemEntry>> ListAsync(DockerEngine docker, string image, string work)
    {
        var created = await docker.RunCheckedAsync("create", image, "/lbdiff-never-started");
        var container = created.StandardOutput.Trim();
        var tar = Path.Combine(work, $"export-{Guid.NewGuid():N}.tar");
        try
        {
            await docker.RunCheckedAsync("export", "-o", tar, container);
        }
        finally
        {
            await docker.RunAsync("rm", "--force", container);
        }

        try
        {
            var python = ProcessRunner.Find("python3") ?? throw Engines.Unavailable("python3", "the differential tier lists file systems with Python's tarfile");
            var lister = Path.Combine(AppContext.BaseDirectory, "Differential", "list_filesystem.py");
            var listed = await ProcessRunner.RunCheckedAsync(python, [lister, tar], TimeSpan.FromMinutes(5));
            var entries = JsonSerializer.Deserialize<List<FilesystemEntry>>(listed.StandardOutput, Options)!;
            return entries.ToDictionary(e => e.Path, StringComparer.Ordinal);
        }
        finally
        {
            File.Delete(tar);
        }
    }

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
