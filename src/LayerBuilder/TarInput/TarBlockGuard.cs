using LayerBuilder.Diagnostics;

namespace LayerBuilder.TarInput;

/// <summary>
/// Sits between a decompressed tar and the tar library and watches the 512-byte header blocks go by. It
/// knows where each header starts from the sizes before it, so it checks every header's checksum and
/// numeric fields, refuses sparse and multi-volume entries, and caps GNU long names ('L', 'K') and PAX
/// headers ('x', 'g') before the library buffers their bytes. It follows PAX "size" records as the
/// library does. Data passes through untouched and uncopied: the only work per read is comparing
/// offsets, and a header's 512 bytes are copied once. Every failure of the stream below (decompressor
/// damage, a cut stream) is translated here, so entry data read later by the layer writer reports the
/// input too. After the end-of-archive block, <see cref="Finish"/> reads the compressed stream to its
/// end so its trailer (CRC, checksum) is checked.
/// </summary>
internal sealed class TarBlockGuard(Stream inner, TarInputSource source) : Stream
{
    private const int DrainBuffer = 1 << 16;

    private readonly byte[] header = new byte[TarHeaderBlock.Length];
    private int filled; // bytes of the header at nextHeader seen so far
    private long position; // offset in the tar of the next byte the stream below returns
    private long nextHeader; // where the next header block starts
    private byte[]? pax; // the data of a PAX 'x' header or a GNU 'L' or 'K' long name being collected
    private char paxType;
    private long paxStart;
    private int paxFilled;
    private byte[]? pendingPax, pendingLongName, pendingLongLink; // what the next entry header gets
    private long? paxSize; // the size a PAX header gave the next header
    private bool ended; // the end-of-archive block was seen
    private byte[]? lastEntryHeader; // a copy, so a name is decoded only when a message needs it

    /// <summary>True once a valid header was read: before that, a failure means the input is no tar at all.</summary>
    public bool Started { get; private set; }

    /// <summary>True while the input has given no byte at all: an empty file is an empty tar.</summary>
    public bool IsEmpty => position == 0;

    /// <summary>The PAX records (raw bytes) that preceded the last entry header, or null.</summary>
    public byte[]? EntryPax { get; private set; }

    /// <summary>The GNU long name ('L') that preceded the last entry header, NUL-terminated as stored, or null.</summary>
    public byte[]? EntryLongName { get; private set; }

    /// <summary>The GNU long link name ('K') that preceded the last entry header, or null.</summary>
    public byte[]? EntryLongLink { get; private set; }

    /// <summary>The last entry header (not a long-name or PAX header), or null before the first.</summary>
    public ReadOnlySpan<byte> EntryHeader => lastEntryHeader;

    /// <summary>The name in the last entry header read (not a long-name or PAX header), for messages.</summary>
    public string? LastName => lastEntryHeader is null ? null : TarHeaderBlock.Name(lastEntryHeader);

    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => position;
        set
        {
            inner.Position = value;
            position = value;
        }
    }

    /// <summary>Called when the tar library found the end: checks the end-of-archive block was there and reads a
    /// compressed stream to its end, so a cut stream or a bad CRC after the last entry is still found.</summary>
    public void Finish()
    {
        if (!ended && !IsEmpty && source.RequireEndMarker)
        {
            throw Fail(new TarInputException(DiagnosticCodes.InputDamaged, "the tar ends without its end-of-archive block; it is cut short"));
        }

        if (!inner.CanSeek)
        {
            var buffer = new byte[DrainBuffer];
            while (Read(buffer) > 0)
            {
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = inner.Read(buffer);
        }
        catch (Exception e) when (TarInputFailures.IsInputFailure(e))
        {
            throw TarInputFailures.FromDecompressor(e, source, LastName);
        }

        Observe(buffer[..read], buffer.Length);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (TarInputFailures.IsInputFailure(e))
        {
            throw TarInputFailures.FromDecompressor(e, source, LastName);
        }

        Observe(buffer.Span[..read], buffer.Length);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        position = inner.Seek(offset, origin);
        return position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Observe(ReadOnlySpan<byte> data, int requested)
    {
        var start = position;
        position += data.Length;
        if (data.IsEmpty)
        {
            if (requested > 0)
            {
                AtEnd();
            }

            return;
        }

        // The data path: nothing of interest in this range.
        if (pax is null && (ended || nextHeader + filled >= position))
        {
            return;
        }

        try
        {
            Inspect(data, start);
        }
        catch (TarInputException e)
        {
            throw Fail(e);
        }
    }

    private void Inspect(ReadOnlySpan<byte> data, long start)
    {
        var end = start + data.Length;
        while (true)
        {
            if (pax is not null)
            {
                var wanted = paxStart + paxFilled;
                if (wanted >= end)
                {
                    return;
                }

                var count = (int)Math.Min(pax.Length - paxFilled, end - wanted);
                data.Slice(Offset(wanted, start), count).CopyTo(pax.AsSpan(paxFilled));
                paxFilled += count;
                if (paxFilled == pax.Length)
                {
                    // Kept as bytes for the entry they describe: the tar library decodes them as UTF-8,
                    // which loses binary xattr values and names that are not UTF-8.
                    switch (paxType)
                    {
                        case 'x':
                            paxSize = PaxOverrides.Size(pax);
                            pendingPax = pax;
                            break;
                        case 'L':
                            pendingLongName = pax;
                            break;
                        default:
                            pendingLongLink = pax;
                            break;
                    }

                    pax = null;
                }

                continue;
            }

            var next = nextHeader + filled;
            if (ended || next >= end)
            {
                return;
            }

            var take = (int)Math.Min(TarHeaderBlock.Length - filled, end - next);
            data.Slice(Offset(next, start), take).CopyTo(header.AsSpan(filled));
            filled += take;
            if (filled == TarHeaderBlock.Length)
            {
                filled = 0;
                OnHeader();
            }
        }
    }

    /// <summary>Where <paramref name="wanted"/> lies in a read that began at <paramref name="start"/>; a read
    /// that skipped bytes the guard must see means it lost track of the headers, which it treats as damage.</summary>
    private static int Offset(long wanted, long start) => wanted >= start
        ? (int)(wanted - start)
        : throw new TarInputException(DiagnosticCodes.InputDamaged, "a header was skipped; the tar's sizes do not add up");

    private void OnHeader()
    {
        var at = nextHeader;
        if (TarHeaderBlock.IsEnd(header))
        {
            ended = true;
            return;
        }

        if (!TarHeaderBlock.ChecksumMatches(header))
        {
            if (!Started && !TarHeaderBlock.HasMagic(header))
            {
                throw NotATar("its first block is no tar header");
            }

            throw new TarInputException(DiagnosticCodes.InputDamaged, $"the header of '{Shown()}' at offset {at} has a wrong checksum");
        }

        var type = TarHeaderBlock.Type(header);
        var headerSize = TarHeaderBlock.CheckedSize(header);
        var size = paxSize ?? headerSize;
        paxSize = null;
        long dataSize;
        switch (type)
        {
            case 'x' or 'g' or 'L' or 'K':
                if (size > TarInputLimits.MaxMetadataBytes)
                {
                    throw new TarInputException(DiagnosticCodes.MetadataTooLarge,
                        $"{Describe(type)} at offset {at} is {size} bytes, over the limit of {TarInputLimits.MaxMetadataBytes} bytes");
                }

                dataSize = size;
                if (type is 'x' or 'L' or 'K' && size > 0)
                {
                    pax = new byte[size];
                    paxType = type;
                    paxStart = at + TarHeaderBlock.Length;
                    paxFilled = 0;
                }

                break;
            case 'S' or 'M':
                throw new TarInputException(DiagnosticCodes.UnsupportedEntry,
                    $"entry '{Shown()}' is a {(type == 'S' ? "GNU sparse file" : "multi-volume continuation")}, which a layer cannot hold; repack it with plain entries");
            case '1' or '2' or '3' or '4' or '5' or '6':
                if (size > 0)
                {
                    throw new TarInputException(DiagnosticCodes.InputDamaged, $"entry '{Shown()}' has a size, but its type has no data");
                }

                dataSize = 0;
                break;
            default:
                dataSize = size;
                break;
        }

        Started = true;
        if (type is not ('x' or 'g' or 'L' or 'K'))
        {
            lastEntryHeader ??= new byte[TarHeaderBlock.Length];
            header.CopyTo(lastEntryHeader, 0);
            (EntryPax, EntryLongName, EntryLongLink) = (pendingPax, pendingLongName, pendingLongLink);
            (pendingPax, pendingLongName, pendingLongLink) = (null, null, null);
        }

        nextHeader = at + TarHeaderBlock.Length + ((dataSize + TarHeaderBlock.Length - 1) / TarHeaderBlock.Length * TarHeaderBlock.Length);
    }

    private void AtEnd()
    {
        if (ended || IsEmpty)
        {
            return;
        }

        if (!Started)
        {
            throw Fail(new TarInputException(source.NotATar, "is not a readable tar (.tar, .tar.gz, .tgz, .tar.bz2 or .tar.zst): it ends before its first header"));
        }

        if (pax is not null || filled > 0 || position != nextHeader)
        {
            throw Fail(new TarInputException(DiagnosticCodes.InputDamaged, "the tar is cut short"));
        }

        if (source.RequireEndMarker)
        {
            throw Fail(new TarInputException(DiagnosticCodes.InputDamaged, "the tar ends without its end-of-archive block; it is cut short"));
        }
    }

    /// <summary>The input is no tar, unless it is a compressed stream whose damage made it look like none:
    /// the rest is decompressed first, so a failed CRC is reported as the damage it is (like <c>gzip -t</c>).</summary>
    private Exception NotATar(string why)
    {
        if (!inner.CanSeek)
        {
            try
            {
                var buffer = new byte[DrainBuffer];
                while (inner.Read(buffer) > 0)
                {
                }
            }
            catch (Exception e) when (TarInputFailures.IsInputFailure(e))
            {
                return TarInputFailures.FromDecompressor(e, source, entry: null);
            }
        }

        return new TarInputException(source.NotATar, $"is not a readable tar (.tar, .tar.gz, .tgz, .tar.bz2 or .tar.zst): {why}");
    }

    private LayerBuildException Fail(TarInputException e) => TarInputFailures.FromTar(e, source, LastName, Started);

    /// <summary>The name in the header being checked, fit for a message.</summary>
    private string Shown() => TarInputFailures.Printable(TarHeaderBlock.Name(header));

    private static string Describe(char type) => type switch
    {
        'x' => "a PAX extended header",
        'g' => "a PAX global header",
        'L' => "a GNU long name",
        _ => "a GNU long link name",
    };
}
