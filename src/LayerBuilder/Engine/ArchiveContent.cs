using System.Net;
using LayerBuilder.Archive;
using LayerBuilder.Image;

namespace LayerBuilder.Engine;

/// <summary>
/// An HTTP body that is the image archive, written into the request as it is sent: no temporary file,
/// and only the archive writer's buffer in memory. Its length is known from the layout beforehand. The
/// members are the sound ones: a recipe's member faults (docs/fixtures.md) shape archive files and streams.
/// </summary>
internal sealed class ArchiveContent : HttpContent
{
    private readonly ImageModel image;
    private readonly ArchiveFormat format;

    public ArchiveContent(ImageModel image, ArchiveFormat format)
    {
        this.image = image;
        this.format = format;
        Headers.ContentType = new("application/x-tar");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        ArchiveWriter.WriteAsync(image, format, SaveFormatMembers.Instance, stream, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = ArchiveLayout.For(image, format).Length;
        return true;
    }
}
