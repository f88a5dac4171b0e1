using LayerBuilder.Image;

namespace LayerBuilder.Archive;

/// <summary>Which members an image's archive has, before they are sorted and laid out
/// (<see cref="ArchiveLayout"/>). The save formats are one answer; a recipe's faults decorate it
/// (Faults/FaultyArchiveMembers).</summary>
internal interface IArchiveMembers
{
    IReadOnlyList<ArchiveMember> Of(ImageModel image, ArchiveFormat format);
}
