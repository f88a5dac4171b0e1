using LayerBuilder.Image;

namespace LayerBuilder.Archive;

/// <summary>The members of an image index's archive: only the <c>oci</c> format holds several platforms
/// (the build refuses the <c>docker</c> format before it gets here, LB1073).</summary>
internal sealed class IndexArchiveMembers(ImageIndex index) : IArchiveMembers
{
    public IReadOnlyList<ArchiveMember> Of(ImageModel image, ArchiveFormat format) => format == ArchiveFormat.Oci
        ? OciIndexLayout.Members(index)
        : throw new ArgumentOutOfRangeException(nameof(format), format, "only the oci format holds an image index");
}
