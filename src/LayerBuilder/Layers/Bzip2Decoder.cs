using ICSharpCode.SharpZipLib.BZip2;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Layers;

/// <summary>
/// SharpZipLib's bzip2 decoder, with what it throws for damaged data said as every other decoder says it.
/// Its Huffman tables are built and indexed from values read from the stream without range checks, so a
/// damaged or hostile stream ends in an <see cref="IndexOutOfRangeException"/> or a
/// <see cref="NullReferenceException"/> (both found by fuzzing) rather than its own exception; here, and
/// only here, around the decoder's own calls, that means "the data is damaged", so it becomes an
/// <see cref="InvalidDataException"/>. The decoder reads its first block when it is made, so the
/// constructor is covered as well as every read.
/// </summary>
internal sealed class Bzip2Decoder : ReadOnlyStream
{
    private readonly BZip2InputStream inner;

    private Bzip2Decoder(BZip2InputStream inner)
    {
        this.inner = inner;
    }

    /// <summary>A decoder of <paramref name="compressed"/>, which it owns.</summary>
    public static Bzip2Decoder Open(Stream compressed) => new(Decode(() => new BZip2InputStream(compressed)));

    public override int Read(byte[] buffer, int offset, int count) => Decode(() => inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer)
    {
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var read = Read(rented, 0, buffer.Length);
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private static T Decode<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is IndexOutOfRangeException or NullReferenceException)
        {
            throw new InvalidDataException("the bzip2 data is damaged (its coding tables are inconsistent)", e);
        }
    }
}
