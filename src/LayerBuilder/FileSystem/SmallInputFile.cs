using LayerBuilder.Diagnostics;

namespace LayerBuilder.FileSystem;

/// <summary>What kind of small input a <see cref="SmallInputFile"/> is, for its limit and its messages.</summary>
/// <param name="Noun">What the file is to the user ("recipe", "Dockerfile").</param>
/// <param name="ExampleName">A file name the messages suggest (layerbuild.yml, Dockerfile).</param>
/// <param name="MaxBytes">The most bytes read: the file is held whole, so it must be bounded.</param>
/// <param name="TooLargeHint">Why such a file is never that large, for the message that refuses one.</param>
/// <param name="Code">The code of every problem with the file, at its start.</param>
internal sealed record InputFileKind(string Noun, string ExampleName, long MaxBytes, string TooLargeHint, DiagnosticCode Code);

/// <summary>
/// Reads a small input file that is parsed whole (a recipe, a Dockerfile). Everything that makes it unusable
/// is one diagnostic of its kind's code at the file's start: missing, a folder, not a regular file (a pipe
/// would block the open forever, <c>/dev/zero</c> never end), larger than its limit, or failing to read.
/// </summary>
internal static class SmallInputFile
{
    private const int ReadBuffer = 81920;

    public static byte[] Read(string path, InputFileKind kind)
    {
        if (Directory.Exists(path))
        {
            throw Unusable(path, kind, $"'{path}' is a folder; give the {kind.Noun} file itself (for example {Path.Combine(path, kind.ExampleName)})");
        }

        if (!File.Exists(path))
        {
            throw Unusable(path, kind, $"{kind.Noun} '{path}' does not exist");
        }

        try
        {
            // File.Exists is true for pipes, sockets and devices too; look at what the path (through any symlinks) is.
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
            var info = HostFileInfo.Stat(target);
            if (info.Kind != EntryKind.File)
            {
                throw Unusable(path, kind, $"{kind.Noun} '{path}' is not a regular file (it is a {Describe(info)}); give a file such as {kind.ExampleName}");
            }

            if (info.Size > kind.MaxBytes)
            {
                throw TooLarge(path, kind);
            }

            return ReadBounded(path, kind);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unusable(path, kind, $"{kind.Noun} '{path}' cannot be read: {e.Message}");
        }
    }

    /// <summary>Reads at most the limit, whatever size the file claims (files under /proc claim 0).</summary>
    private static byte[] ReadBounded(string path, InputFileKind kind)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        using var bytes = new MemoryStream();
        var buffer = new byte[ReadBuffer];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            if (bytes.Length + read > kind.MaxBytes)
            {
                throw TooLarge(path, kind);
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

    private static LayerBuildException TooLarge(string path, InputFileKind kind) =>
        Unusable(path, kind, $"{kind.Noun} '{path}' is larger than {kind.MaxBytes >> 20} MiB; {kind.TooLargeHint}");

    private static LayerBuildException Unusable(string path, InputFileKind kind, string message) =>
        new(kind.Code, SourcePosition.StartOf(path), message);
}
