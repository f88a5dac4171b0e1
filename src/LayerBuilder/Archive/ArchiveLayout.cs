using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Archive;

/// <summary>
/// The outer tar laid out member by member: names sorted byte-wise, each member's header bytes and the
/// offset of its data. The file writer and the stream writer both take their bytes from here, so the
/// two outputs cannot differ.
/// <para>
/// One rule beyond sorting (docs/decisions.md): in an image of exactly one layer, the layer's data
/// starts at a page boundary that depends only on the sizes of the other members. Those sizes do not
/// depend on any digest's value (digests are fixed-length hex), so a build knows the place before the
/// layer is hashed and writes the layer there directly instead of staging it and copying it. The gap
/// before it is filled by the layer member's own header: a PAX <c>comment</c> record, which every tar
/// reader skips.
/// </para>
/// </summary>
internal sealed class ArchiveLayout
{
    private const int PageSize = 4096;

    // Go's archive/tar refuses PAX headers over 1 MiB; the padding stays well below that.
    private const long MaxOtherMembers = 512 << 10;

    private ArchiveLayout(IReadOnlyList<PlacedMember> members, long length)
    {
        Members = members;
        Length = length;
    }

    public IReadOnlyList<PlacedMember> Members { get; }

    /// <summary>Total length of the archive, end-of-archive blocks included.</summary>
    public long Length { get; }

    public static ArchiveLayout For(ImageModel image, ArchiveFormat format) => For(image, format, SaveFormatMembers.Instance);

    public static ArchiveLayout For(ImageModel image, ArchiveFormat format, IArchiveMembers source)
    {
        var mtime = image.Config.Created.ToUnixTimeSeconds();
        var members = source.Of(image, format).OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
        var headers = members.Select(m => Header(m, mtime, 0)).ToList();
        var layerData = LayerDataOffset(members, headers);

        var placed = new List<PlacedMember>(members.Count);
        long offset = 0;
        for (var i = 0; i < members.Count; i++)
        {
            var header = headers[i];
            if (members[i] is LayerMember && layerData is { } data)
            {
                header = Header(members[i], mtime, checked((int)(data - offset)));
            }

            placed.Add(new PlacedMember(members[i], header, offset));
            offset += header.Length + Padded(members[i].Length);
        }

        return new ArchiveLayout(placed, offset + (2 * TarHeaderWriter.BlockSize));
    }

    /// <summary>Where the data of a one-layer image's layer starts, or null when the image has more
    /// layers (or metadata too large to pad over); the same for any digests of the same lengths.</summary>
    public static long? SingleLayerDataOffset(ImageModel image, ArchiveFormat format)
    {
        var mtime = image.Config.Created.ToUnixTimeSeconds();
        var members = ArchiveWriter.Members(image, format);
        return LayerDataOffset(members, members.Select(m => Header(m, mtime, 0)).ToList());
    }

    private static long? LayerDataOffset(IReadOnlyList<ArchiveMember> members, IReadOnlyList<byte[]> headers)
    {
        if (members.Count(m => m is LayerMember) != 1)
        {
            return null;
        }

        long others = 0;
        for (var i = 0; i < members.Count; i++)
        {
            if (members[i] is not LayerMember)
            {
                others += headers[i].Length + Padded(members[i].Length);
            }
        }

        // Whatever sorts before the layer fits in `others`; three more blocks leave room for the PAX
        // header, at least one block of its records, and the layer's own header.
        return others > MaxOtherMembers ? null : RoundUp(others + (3 * TarHeaderWriter.BlockSize), PageSize);
    }

    private static byte[] Header(ArchiveMember member, long mtime, int exactLength)
    {
        using var buffer = new MemoryStream();
        var entry = new LayerEntry
        {
            Path = ImagePath.Parse("/" + member.Name),
            Kind = EntryKind.File,
            Mode = Permissions.DefaultFile,
            ModifiedTime = mtime,
            Content = new MemberLength(member.Length),
        };
        TarHeaderWriter.WriteHeader(buffer, entry, exactLength);
        return buffer.ToArray();
    }

    /// <summary>The length a member's header states; the header is all that is written from here.</summary>
    private sealed record MemberLength(long Length) : ContentSource(Length)
    {
        public override Stream Open() => throw new NotSupportedException("a member's bytes are written by the archive writer");
    }

    private static long Padded(long length) => TarHeaderWriter.PaddedLength(length);

    private static long RoundUp(long value, long unit) => (value + unit - 1) / unit * unit;
}

/// <summary>One member of the outer tar with its header bytes, placed at <see cref="HeaderOffset"/>.</summary>
internal sealed record PlacedMember(ArchiveMember Member, byte[] Header, long HeaderOffset)
{
    public long DataOffset => HeaderOffset + Header.Length;
}
