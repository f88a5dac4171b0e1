using System.Formats.Tar;
using LayerBuilder.Layers;

namespace LayerBuilder.TarInput;

/// <summary>
/// Reads a tar input (plain, gzip, bzip2 or zstd) entry by entry through <see cref="TarBlockGuard"/>:
/// every reader of user-given and base-image tars goes through here, so every limit and check holds for
/// all of them and every failure becomes a <see cref="Diagnostics.LayerBuildException"/> naming the input,
/// the entry and the recipe position. Entries come from <see cref="TarReader"/> with
/// <c>copyData: false</c>: their data streams are read before the next entry is asked for.
/// </summary>
internal sealed class TarInputReader : IDisposable, IAsyncDisposable
{
    private readonly TarBlockGuard guard;
    private readonly TarReader reader;

    private TarInputReader(TarInputSource source, TarBlockGuard guard)
    {
        Source = source;
        this.guard = guard;
        reader = new TarReader(guard, leaveOpen: false);
    }

    public TarInputSource Source { get; }

    /// <summary>The name of the entry last returned, byte for byte (not UTF-8 bytes kept, <see cref="FileSystem.TarText"/>).</summary>
    public string NameOf(TarEntry entry) => RawEntryFields.Name(guard, entry.Name);

    /// <summary>The link target of the entry last returned, byte for byte.</summary>
    public string LinkNameOf(TarEntry entry) => RawEntryFields.LinkName(guard, entry.LinkName);

    /// <summary>The extended attributes of the entry last returned, values as bytes; null when it has none.</summary>
    public SortedDictionary<string, byte[]>? XattrsOfLast() => RawEntryFields.Xattrs(guard);

    /// <summary>The name of the last entry returned, for messages.</summary>
    public string? LastEntry { get; private set; }

    /// <summary>Opens the input: refuses a non-regular file before opening it, detects the compression by its magic bytes.</summary>
    public static TarInputReader Open(TarInputSource source)
    {
        InputFile.RefuseNonRegular(source);
        Stream input;
        try
        {
            input = Compression.OpenDecompressed(source.Path, out _);
        }
        catch (NotSupportedException e)
        {
            throw source.Error(source.NotATar, $"is not a readable tar: {e.Message}");
        }
        catch (Exception e) when (e is UnauthorizedAccessException)
        {
            throw source.Error(source.Unreadable, $"cannot be read: {e.Message}");
        }
        catch (Exception e) when (TarInputFailures.IsInputFailure(e))
        {
            throw TarInputFailures.FromDecompressor(e, source, entry: null);
        }

        return new TarInputReader(source, new TarBlockGuard(input, source));
    }

    /// <summary>Reads a tar that is already a stream of uncompressed bytes (a layer inside an image archive):
    /// the same checks and limits; the reader owns <paramref name="tar"/>.</summary>
    public static TarInputReader Open(TarInputSource source, Stream tar) => new(source, new TarBlockGuard(tar, source));

    /// <summary>The next entry, or null after the last one (then the whole input has been read and checked).</summary>
    public TarEntry? Next()
    {
        try
        {
            return Returned(reader.GetNextEntry(copyData: false));
        }
        catch (Exception e) when (TarInputFailures.IsInputFailure(e))
        {
            return Failed(e);
        }
    }

    /// <inheritdoc cref="Next"/>
    public async ValueTask<TarEntry?> NextAsync(CancellationToken cancellationToken)
    {
        try
        {
            return Returned(await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (TarInputFailures.IsInputFailure(e))
        {
            return Failed(e);
        }
    }

    public void Dispose() => reader.Dispose();

    public ValueTask DisposeAsync() => reader.DisposeAsync();

    private TarEntry? Returned(TarEntry? entry)
    {
        if (entry is null)
        {
            guard.Finish();
            return null;
        }

        LastEntry = entry.Name;
        return entry;
    }

    private TarEntry? Failed(Exception e)
    {
        if (e is EndOfStreamException && guard.IsEmpty)
        {
            return null; // an empty file is an empty tar; the library wants a header from an unseekable stream
        }

        throw TarInputFailures.FromTar(e, Source, LastEntry ?? guard.LastName, guard.Started);
    }
}
