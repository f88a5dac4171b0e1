using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Recipe;

/// <summary>
/// Reads the recipe file's bytes. Everything that makes the file unusable as a recipe is LB2013 at the
/// file's start: missing, a folder, not a regular file (a pipe would block the open forever), larger than
/// <see cref="RecipeLimits.MaxFileBytes"/>, or failing to read.
/// </summary>
internal static class RecipeFile
{
    public static byte[] Read(string path)
    {
        if (Directory.Exists(path))
        {
            throw Unusable(path, $"'{path}' is a folder; give the recipe file itself (for example {Path.Combine(path, "layerbuild.yml")})");
        }

        if (!File.Exists(path))
        {
            throw Unusable(path, $"recipe '{path}' does not exist");
        }

        try
        {
            // File.Exists is true for pipes, sockets and devices too; look at what the path (through any symlinks) is.
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
            var info = HostFileInfo.Stat(target);
            if (info.Kind != EntryKind.File)
            {
                throw Unusable(path, $"recipe '{path}' is not a regular file (it is a {Describe(info)}); give a file such as layerbuild.yml");
            }

            if (info.Size > RecipeLimits.MaxFileBytes)
            {
                throw TooLarge(path);
            }

            return ReadBounded(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unusable(path, $"recipe '{path}' cannot be read: {e.Message}");
        }
    }

    /// <summary>Reads at most the limit, whatever size the file claims (files under /proc claim 0).</summary>
    private static byte[] ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        using var bytes = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            if (bytes.Length + read > RecipeLimits.MaxFileBytes)
            {
                throw TooLarge(path);
            }

            bytes.Write(buffer, 0, read);
        }

        return bytes.ToArray();
    }

    private static string Describe(HostFileInfo info) => info switch
    {
        { IsSocket: true } => "socket",
        { Kind: EntryKind.Directory } => "folder",
        { Kind: EntryKind.CharDevice or EntryKind.BlockDevice } => "device",
        { Kind: EntryKind.Fifo } => "named pipe",
        _ => "special file",
    };

    private static LayerBuildException TooLarge(string path) =>
        Unusable(path, $"recipe '{path}' is larger than {RecipeLimits.MaxFileBytes >> 20} MiB; a recipe names its files (copy, extract) rather than holding them");

    private static LayerBuildException Unusable(string path, string message) =>
        new(DiagnosticCodes.RecipeNotFound, SourcePosition.StartOf(path), message);
}
