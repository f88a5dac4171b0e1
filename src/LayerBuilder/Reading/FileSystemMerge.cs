using System.Security.Cryptography;
using LayerBuilder.Image;

namespace LayerBuilder.Reading;

/// <summary>
/// Stacks an image's layers into its final filesystem the way the image-spec's layer.md applies a
/// changeset: each layer's whiteouts and opaque markers remove what the layers below have, then its
/// entries are added (a non-folder over a folder replaces the folder and everything in it; a folder over
/// a folder keeps what is inside). Every layer is read once, streaming; a file's content is hashed as it
/// passes and then forgotten, so only metadata is held.
/// </summary>
internal static class FileSystemMerge
{
    private const int HashBuffer = 1 << 16;

    public static async Task<ImageFileSystem> MergeAsync(IReadOnlyList<ArchivedLayer> layers, CancellationToken cancellationToken)
    {
        var tree = new PathTree<FileSystemEntry>();
        var buffer = new byte[HashBuffer];
        foreach (var layer in layers)
        {
            var entries = new List<FileSystemEntry>();
            var removed = new List<string>();
            var emptied = new List<string>();
            await using (var reader = await layer.OpenEntryReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    switch (entry.Kind)
                    {
                        case LayerEntryKind.Whiteout:
                            removed.Add(entry.WhiteoutTarget!);
                            break;
                        case LayerEntryKind.OpaqueWhiteout:
                            emptied.Add(entry.WhiteoutTarget!);
                            break;
                        default:
                            var digest = entry.Kind == LayerEntryKind.File ? await HashAsync(reader, buffer, cancellationToken).ConfigureAwait(false) : (Digest?)null;
                            entries.Add(From(entry, digest, layer.Index));
                            break;
                    }
                }
            }

            // A layer's whiteouts hide the layers below it, never its own entries (layer.md, "Whiteouts").
            foreach (var path in removed)
            {
                tree.Remove(path);
            }

            foreach (var folder in emptied)
            {
                tree.RemoveBeneath(folder);
            }

            foreach (var entry in entries)
            {
                Add(tree, entry);
            }
        }

        return new ImageFileSystem(tree.SortedByPath());
    }

    private static void Add(PathTree<FileSystemEntry> tree, FileSystemEntry entry)
    {
        if (tree.TryGet(entry.Path, out var existing) && existing.Kind == LayerEntryKind.Directory && entry.Kind != LayerEntryKind.Directory)
        {
            tree.Remove(entry.Path);
        }

        if (entry.Kind == LayerEntryKind.HardLink && Base.ArchiveMemberNames<string>.TryKey(entry.LinkTarget!, out var key) && tree.TryGet(key, out var target))
        {
            entry = entry with { Size = target.Size, ContentDigest = target.ContentDigest };
        }

        tree.Set(entry.Path, entry);
    }

    private static async Task<Digest> HashAsync(LayerEntryReader reader, byte[] buffer, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var content = reader.OpenContent();
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        return Digest.FromHashBytes(hash.GetHashAndReset());
    }

    private static FileSystemEntry From(LayerEntryInfo entry, Digest? digest, int layer) => new()
    {
        Path = entry.Path,
        Kind = entry.Kind,
        Mode = entry.Mode,
        Uid = entry.Uid,
        Gid = entry.Gid,
        Size = entry.Size,
        ContentDigest = digest,
        LinkTarget = entry.LinkTarget,
        DeviceMajor = entry.DeviceMajor,
        DeviceMinor = entry.DeviceMinor,
        Xattrs = entry.Xattrs,
        XattrBytes = entry.XattrBytes,
        Layer = layer,
    };
}
