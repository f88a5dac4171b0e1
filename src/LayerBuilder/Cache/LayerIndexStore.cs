using System.Security.Cryptography;
using System.Text;
using LayerBuilder.Base;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;

namespace LayerBuilder.Cache;

/// <summary>
/// The entries of base layer tars, as <see cref="LayerIndexer"/> read them from their headers, kept in the
/// layer cache by diff id (<c>indexes/HEX</c>), so a build on a base it has read before does not read its
/// thousands of headers again (docs/decisions.md D83). A layer's tar never changes for its diff id, so an
/// index never goes stale; each file carries the SHA-256 of its own bytes, and one that does not match, or
/// cannot be read, is ignored and made again from the tar. Content is never kept, only where it lies.
/// </summary>
internal sealed class LayerIndexStore(LayerCache cache)
{
    private static ReadOnlySpan<byte> Magic => "LBIX"u8;
    private const byte FormatVersion = 1;
    private const int HashLength = SHA256.HashSizeInBytes;
    private const int NoContent = -1;

    private string Folder => Path.Combine(cache.Root, "indexes");

    /// <summary>The entries of the layer tar <paramref name="diffId"/>, whose file is now <paramref name="tarPath"/>;
    /// null when none is kept or the one kept is damaged.</summary>
    public IReadOnlyList<LayerEntry>? TryRead(Digest diffId, string tarPath)
    {
        byte[] bytes;
        try
        {
            var path = PathOf(diffId);
            if (!File.Exists(path))
            {
                return null;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (bytes.Length < Magic.Length + 1 + HashLength
            || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic)
            || bytes[Magic.Length] != FormatVersion
            || !SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashLength)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashLength)))
        {
            return null;
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, Magic.Length + 1, bytes.Length - HashLength - Magic.Length - 1, writable: false), Encoding.UTF8);
            var count = Bounded(reader, reader.ReadInt32());
            var entries = new List<LayerEntry>(count);
            for (var i = 0; i < count; i++)
            {
                entries.Add(ReadEntry(reader, tarPath));
            }

            return reader.BaseStream.Position == reader.BaseStream.Length ? entries : null;
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or ArgumentException or IOException)
        {
            return null;
        }
    }

    /// <summary>Keeps <paramref name="entries"/> for <paramref name="diffId"/>. Best effort: without an index the
    /// tar's headers are read again next time.</summary>
    public void Write(Digest diffId, IReadOnlyList<LayerEntry> entries)
    {
        try
        {
            using var buffer = new MemoryStream();
            buffer.Write(Magic);
            buffer.WriteByte(FormatVersion);
            using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(entries.Count);
                foreach (var entry in entries)
                {
                    WriteEntry(writer, entry);
                }
            }

            buffer.Write(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
            Directory.CreateDirectory(Folder);
            AtomicFile.WriteAllBytes(PathOf(diffId), buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // read from the tar again next time
        }
    }

    private string PathOf(Digest diffId) => Path.Combine(Folder, diffId.Hex);

    private static void WriteEntry(BinaryWriter writer, LayerEntry entry)
    {
        writer.Write(entry.Path.Value);
        writer.Write((byte)entry.Kind);
        writer.Write(entry.Mode);
        writer.Write(entry.Owner.Uid);
        writer.Write(entry.Owner.Gid);
        writer.Write(entry.ModifiedTime);
        writer.Write(entry.ModifiedFraction);
        writer.Write(entry.LinkTarget is not null);
        if (entry.LinkTarget is not null)
        {
            writer.Write(entry.LinkTarget);
        }

        // Only a file's length is kept: its bytes stay in the tar, found by name when read (TarMemberContent).
        writer.Write(entry.Content is TarMemberContent member ? member.Length : NoContent);
        writer.Write(entry.Xattrs?.Count ?? 0);
        foreach (var (name, value) in entry.Xattrs ?? new Dictionary<string, byte[]>())
        {
            writer.Write(name);
            writer.Write(value.Length);
            writer.Write(value);
        }
    }

    /// <summary>A count or length read from the file, refused when the bytes left could not hold it: a
    /// damaged file must not make this allocate gigabytes.</summary>
    private static int Bounded(BinaryReader reader, int value) =>
        value >= 0 && value <= reader.BaseStream.Length - reader.BaseStream.Position ? value : throw new FormatException($"a count of {value}");

    private static LayerEntry ReadEntry(BinaryReader reader, string tarPath)
    {
        var path = ImagePath.Parse(reader.ReadString());
        var kind = (EntryKind)reader.ReadByte();
        if (!Enum.IsDefined(kind))
        {
            throw new FormatException($"entry kind {kind}");
        }

        var mode = reader.ReadInt32();
        var owner = new Owner(reader.ReadInt32(), reader.ReadInt32());
        var modified = reader.ReadInt64();
        var fraction = reader.ReadInt32();
        var link = reader.ReadBoolean() ? reader.ReadString() : null;
        var length = reader.ReadInt64();
        var xattrCount = reader.ReadInt32();
        SortedDictionary<string, byte[]>? xattrs = null;
        for (var i = 0; i < xattrCount; i++)
        {
            xattrs ??= new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            var name = reader.ReadString();
            xattrs[name] = reader.ReadBytes(Bounded(reader, reader.ReadInt32()));
        }

        return new LayerEntry
        {
            Path = path,
            Kind = kind,
            Mode = mode,
            Owner = owner,
            ModifiedTime = modified,
            ModifiedFraction = fraction,
            LinkTarget = link,
            Content = length == NoContent ? null : new TarMemberContent(tarPath, path.TarName, length),
            Xattrs = xattrs,
        };
    }
}
