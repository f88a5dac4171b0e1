using LayerBuilder.Diagnostics;
using LayerBuilder.TarInput;

namespace LayerBuilder.Reading;

/// <summary>
/// The members of an image archive or layout, by name, whose bytes are read when asked for and never
/// kept: a folder's files, or the regular members of a tar (plain or gzip) found in one pass of the
/// hardened tar reader. Opening a tar member reads the tar again up to it (a plain tar by skipping from
/// header to header), so nothing is unpacked and no layer is held in memory.
/// </summary>
internal abstract class ArchiveContents
{
    protected ArchiveContents(string path, string description)
    {
        Path = path;
        Description = description;
    }

    /// <summary>The archive or folder, as the caller named it.</summary>
    public string Path { get; }

    /// <summary>How messages name it: <c>image archive 'x.tar'</c>, <c>image layout 'dir'</c>.</summary>
    public string Description { get; }

    /// <summary>Where every diagnostic about it points.</summary>
    public SourcePosition Position => SourcePosition.StartOf(Path);

    /// <summary>Opens <paramref name="path"/>: a folder as a layout, a file as a tar (refused with LB2024 when it is none).</summary>
    public static async Task<ArchiveContents> OpenArchiveAsync(string path, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            return new FolderContents(path);
        }

        if (!File.Exists(path))
        {
            throw new LayerBuildException(DiagnosticCodes.SourceNotFound, SourcePosition.StartOf(path), $"image archive '{path}' does not exist");
        }

        return await TarContents.IndexAsync(path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether a regular member (or a link to one) of that name is there.</summary>
    public abstract bool Exists(string member);

    /// <summary>The size of a member that exists.</summary>
    public abstract long Length(string member);

    /// <summary>The bytes of a member that exists, read as they are needed.</summary>
    public abstract Task<Stream> OpenAsync(string member, CancellationToken cancellationToken);

    /// <summary>An error about <paramref name="member"/> of this archive.</summary>
    public LayerBuildException Error(DiagnosticCode code, string member, string problem) =>
        new(code, Position, $"{member} of {Description}: {problem}");

    /// <summary>The tar input as the hardened reader names it in messages.</summary>
    public TarInputSource Input(string what) =>
        new(Path, what, Position, DiagnosticCodes.ImageArchiveUnreadable, DiagnosticCodes.BaseImageInvalid) { RequireEndMarker = false };
}
