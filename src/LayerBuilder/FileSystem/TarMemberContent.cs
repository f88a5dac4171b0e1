using System.Formats.Tar;

namespace LayerBuilder.FileSystem;

/// <summary>
/// A file inside a layer tar that LayerBuilder did not write itself (a base image's layer). Opening it
/// scans the tar for the member; that happens only for the rare reads of lower content (a hardlink
/// copy-up, /etc/passwd), so nothing is indexed or kept in memory for it.
/// </summary>
public sealed record TarMemberContent(string LayerFile, string MemberName, long Length) : ContentSource(Length)
{
    public override Stream Open()
    {
        var reader = new TarReader(File.OpenRead(LayerFile), leaveOpen: false);
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            if (ImagePath.TryNormalize("/" + entry.Name, out var path) && path.TarName == MemberName && entry.DataStream is { } data)
            {
                return new OwningStream(data, reader);
            }
        }

        reader.Dispose();
        throw new FileNotFoundException($"{MemberName} is no longer in {LayerFile}");
    }

    /// <summary>Reads the member's data and disposes the reader (and file) with it.</summary>
    private sealed class OwningStream(Stream data, TarReader owner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => data.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => data.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => data.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                owner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
