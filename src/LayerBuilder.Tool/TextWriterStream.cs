using System.Text;

namespace LayerBuilder.Tool;

/// <summary>A write-only stream of UTF-8 bytes onto a <see cref="TextWriter"/> (standard output, or a test's
/// writer), so JSON can be written as it is made instead of built whole first. A character split across
/// two writes is kept until its last byte arrives.</summary>
internal sealed class TextWriterStream(TextWriter output) : Stream
{
    private readonly Decoder decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var chars = new char[decoder.GetCharCount(buffer, flush: false)];
        var count = decoder.GetChars(buffer, chars, flush: false);
        output.Write(chars, 0, count);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var chars = new char[decoder.GetCharCount(buffer.Span, flush: false)];
        var count = decoder.GetChars(buffer.Span, chars, flush: false);
        await output.WriteAsync(chars.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => output.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => output.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
