using LayerBuilder.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.Tool;

/// <summary>
/// Where <c>-o -</c> writes the archive: standard output, with every failed write reported as LB3001
/// (exit 3) rather than lost or left to become an internal error. The console's own stream drops writes
/// to a pipe whose reader has gone (EPIPE) without a word, so <c>-o - | head -c 100</c> used to end with
/// exit 0 and "Wrote: standard output". A pipe, socket or terminal is therefore written through a
/// <see cref="FileStream"/> on file descriptor 1, which reports EPIPE. A regular file keeps the console
/// stream, whose write(2) moves the descriptor's shared offset (a <see cref="FileStream"/> writes at its
/// own offset, so a later writer to the same file would overwrite the archive); EPIPE cannot happen there,
/// and the console stream reports every other error (ENOSPC, EIO).
/// </summary>
internal sealed class StandardOutputArchiveStream : Stream
{
    /// <summary>How a diagnostic names the destination.</summary>
    public const string Name = "standard output";

    private const int StandardOutputDescriptor = 1;

    /// <summary>The position of a diagnostic about standard output: no file, no line (printed without one).</summary>
    private static readonly SourcePosition Nowhere = new("", 0, 0);
    private readonly Stream inner;

    private StandardOutputArchiveStream(Stream inner)
    {
        this.inner = inner;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Standard output of this process, as described above.</summary>
    public static StandardOutputArchiveStream Open()
    {
        if (OperatingSystem.IsWindows())
        {
            return new StandardOutputArchiveStream(Console.OpenStandardOutput());
        }

        var descriptor = new FileStream(new SafeFileHandle(StandardOutputDescriptor, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        if (!descriptor.CanSeek)
        {
            return new StandardOutputArchiveStream(descriptor);
        }

        descriptor.Dispose();
        return new StandardOutputArchiveStream(Console.OpenStandardOutput());
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            inner.Write(buffer);
        }
        catch (IOException e)
        {
            throw CannotWrite(e);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw CannotWrite(e);
        }
    }

    public override void Flush()
    {
        try
        {
            inner.Flush();
        }
        catch (IOException e)
        {
            throw CannotWrite(e);
        }
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw CannotWrite(e);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Unbuffered: nothing is left to flush, so closing cannot fail (and must not hide the first error).
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>LB3001 with no file position: the destination is the process's standard output, named in words.</summary>
    private static LayerBuildException CannotWrite(IOException e) =>
        new(DiagnosticCodes.OutputNotWritable, Nowhere, $"cannot write the archive to {Name}: {e.Message}");
}
