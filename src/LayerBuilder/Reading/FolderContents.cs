using LayerBuilder.Base;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Reading;

/// <summary>An OCI layout (or an unpacked save) in a folder: members are its files.</summary>
internal sealed class FolderContents(string folder) : ArchiveContents(folder, $"image layout '{folder}'")
{
    private const int BufferSize = 1 << 16;

    public override bool Exists(string member) => Locate(member) is { } file && File.Exists(file);

    public override long Length(string member) => new FileInfo(Locate(member)!).Length;

    public override Task<Stream> OpenAsync(string member, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult<Stream>(new FileStream(Locate(member)!, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan | FileOptions.Asynchronous));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Error(DiagnosticCodes.ImageArchiveUnreadable, member, $"cannot be read: {e.Message}");
        }
    }

    /// <summary>The file of a member; null for a name that climbs out of the folder.</summary>
    private string? Locate(string member) =>
        ArchiveMemberNames<string>.TryKey(member, out var key) && key.Length > 0 ? System.IO.Path.Combine(Path, key) : null;
}
