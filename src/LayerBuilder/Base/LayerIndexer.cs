using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Layers;
using LayerBuilder.TarInput;

namespace LayerBuilder.Base;

/// <summary>Applies an existing layer tar (a base image's) to the lower-layer index, whiteouts included,
/// reading only headers.</summary>
internal static class LayerIndexer
{
    public static void Apply(LowerLayerIndex index, LayerBlob layer, SourcePosition position)
    {
        // A pulled layer's tar is made here if nothing made it yet (docs/decisions.md D79).
        var tarPath = layer.TarFile is (var tarFile, 0) ? tarFile : throw new InvalidOperationException($"{layer} is not an uncompressed tar file of its own");
        using var reader = TarInputReader.Open(TarInputSource.BaseLayer(tarPath, layer.DiffId.ToString(), position));
        while (reader.Next() is { } tar)
        {
            if (!ImagePath.TryNormalize("/" + reader.NameOf(tar), out var path) || path.IsRoot)
            {
                continue;
            }

            if (path.Name == WhiteoutNames.Opaque)
            {
                index.Apply(new LayerEntry { Path = path.Parent, Kind = EntryKind.OpaqueWhiteout });
                continue;
            }

            if (WhiteoutNames.IsWhiteout(path.Name))
            {
                if (!path.Name.StartsWith(WhiteoutNames.Reserved, StringComparison.Ordinal))
                {
                    index.Apply(new LayerEntry { Path = path.Parent.Combine(path.Name[WhiteoutNames.Prefix.Length..]), Kind = EntryKind.Whiteout });
                }

                continue;
            }

            // A base layer was accepted by its own builder; an odd typeflag is indexed as a plain file.
            var kind = TarEntryKinds.TryMap(tar.EntryType, out var mapped) ? mapped : EntryKind.File;
            var entry = new LayerEntry
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
            };

            if (kind == EntryKind.Hardlink && index.Get(ImagePath.Parse(entry.LinkTarget!)) is { Kind: EntryKind.File } file)
            {
                entry = file with { Path = path };
            }

            index.Apply(entry);
        }
    }
}
