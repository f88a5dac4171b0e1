using LayerBuilder.Image;

namespace LayerBuilder.Archive;

/// <summary>The members docs/archive-formats.md defines for each format.</summary>
internal sealed class SaveFormatMembers : IArchiveMembers
{
    public static readonly SaveFormatMembers Instance = new();

    public IReadOnlyList<ArchiveMember> Of(ImageModel image, ArchiveFormat format) => ArchiveWriter.Members(image, format);
}
