namespace LayerBuilder.Reading;

/// <summary>
/// The final filesystem of an image (<see cref="ArchivedImage.ReadFileSystemAsync"/>): every path the
/// layers leave once stacked, sorted byte-wise by path. It holds each entry's metadata and content
/// digest, never content.
/// </summary>
public sealed class ImageFileSystem
{
    private readonly Dictionary<string, FileSystemEntry> byPath;

    internal ImageFileSystem(IReadOnlyList<FileSystemEntry> entries)
    {
        Entries = entries;
        byPath = entries.ToDictionary(e => e.Path, StringComparer.Ordinal);
    }

    /// <summary>Every entry, sorted by <see cref="FileSystemEntry.Path"/> (ordinal).</summary>
    public IReadOnlyList<FileSystemEntry> Entries { get; }

    /// <summary>The entry at <paramref name="path"/> (<c>etc/passwd</c> or <c>/etc/passwd</c>; the root is
    /// <c>.</c> or <c>/</c>); null when the image has none there.</summary>
    public FileSystemEntry? Find(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var key = path.Trim('/');
        return byPath.GetValueOrDefault(key.Length == 0 ? "." : key);
    }
}
