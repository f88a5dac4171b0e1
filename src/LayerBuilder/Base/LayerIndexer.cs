using LayerBuilder.Cache;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Layers;
using LayerBuilder.TarInput;

namespace LayerBuilder.Base;

/// <summary>Applies an existing layer tar (a base image's) to the lower-layer index, whiteouts included,
/// reading only headers, or the entries a build read from them before (<see cref="LayerIndexStore"/>).</summary>
internal static class LayerIndexer
{
    public static void Apply(LowerLayerIndex index, LayerBlob layer, SourcePosition position, LayerIndexStore? store = null)
    {
        foreach (var read in Entries(layer, position, store))
        {
            var entry = read;
            if (entry.Kind == EntryKind.Hardlink && index.Get(ImagePath.Parse(entry.LinkTarget!)) is { Kind: EntryKind.File } file)
            {
                entry = file with { Path = entry.Path };
            }

            index.Apply(entry);
        }
    }

    /// <summary>Reads the entries of <paramref name="layer"/> into <paramref name="store"/> when it has none
    /// yet, so the build that next plans on it finds them (a base pulled ahead of its build, D80, D83).</summary>
    public static void Keep(LayerBlob layer, SourcePosition position, LayerIndexStore store) => _ = Entries(layer, position, store);

    private static IReadOnlyList<LayerEntry> Entries(LayerBlob layer, SourcePosition position, LayerIndexStore? store)
    {
        // A pulled layer's tar is made here if nothing made it yet (docs/decisions.md D79).
        var tarPath = layer.TarFile is (var tarFile, 0) ? tarFile : throw new InvalidOperationException($"{layer} is not an uncompressed tar file of its own");
        if (store?.TryRead(layer.DiffId, tarPath) is { } kept)
        {
            return kept;
        }

        var entries = Read(tarPath, layer, position);
        store?.Write(layer.DiffId, entries);
        return entries;
    }

    /// <summary>Every header of the tar as the entry the merged view takes: a whiteout as what it hides, a
    /// hard link as it is (resolved against the layers below when applied).</summary>
    private static List<LayerEntry> Read(string tarPath, LayerBlob layer, SourcePosition position)
    {
        var entries = new List<LayerEntry>();
        using var reader = TarInputReader.Open(TarInputSource.BaseLayer(tarPath, layer.DiffId.ToString(), position));
        while (reader.Next() is { } tar)
        {
            if (!ImagePath.TryNormalize("/" + reader.NameOf(tar), out var path) || path.IsRoot)
            {
                continue;
            }

            if (path.Name == WhiteoutNames.Opaque)
            {
                entries.Add(new LayerEntry { Path = path.Parent, Kind = EntryKind.OpaqueWhiteout });
                continue;
            }

            if (WhiteoutNames.IsWhiteout(path.Name))
            {
                if (!path.Name.StartsWith(WhiteoutNames.Reserved, StringComparison.Ordinal))
                {
                    entries.Add(new LayerEntry { Path = path.Parent.Combine(path.Name[WhiteoutNames.Prefix.Length..]), Kind = EntryKind.Whiteout });
                }

                continue;
            }

            // A base layer was accepted by its own builder; an odd typeflag is indexed as a plain file.
            var kind = TarEntryKinds.TryMap(tar.EntryType, out var mapped) ? mapped : EntryKind.File;
            entries.Add(new LayerEntry
            {
                Path = path,
                Kind = kind,
                Mode = (int)tar.Mode & Permissions.Mask,
                Owner = new Owner(tar.Uid, tar.Gid),
                ModifiedTime = EntryTime.Split(tar.ModificationTime).Seconds,
                ModifiedFraction = EntryTime.Split(tar.ModificationTime).Fraction,
                LinkTarget = kind == EntryKind.Hardlink && ImagePath.TryNormalize("/" + reader.LinkNameOf(tar), out var target) ? target.Value : reader.LinkNameOf(tar),
                Content = kind == EntryKind.File ? new TarMemberContent(tarPath, path.TarName, tar.Length) : null,

                // A copy-up (a hard link's target) carries them byte for byte, as the base layer has them.
                Xattrs = reader.XattrsOfLast(),
            });
        }

        return entries;
    }
}
