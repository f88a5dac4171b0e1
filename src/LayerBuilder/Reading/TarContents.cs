using System.Formats.Tar;
using LayerBuilder.Base;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.TarInput;

namespace LayerBuilder.Reading;

/// <summary>
/// An image archive that is a tar (plain or gzip-compressed as a whole): one pass of the hardened reader
/// records where each member is (its position among the entries) and how large it is; opening a member
/// reads the tar again up to that entry and hands out its data.
/// </summary>
internal sealed class TarContents : ArchiveContents
{
    private readonly ArchiveMemberNames<Member> names = new();

    private TarContents(string path)
        : base(path, $"image archive '{path}'")
    {
    }

    public override bool Exists(string member) => names.TryLocate(member, out _);

    public override long Length(string member) => names.TryLocate(member, out var found) ? found.Length : 0;

    public static async Task<TarContents> IndexAsync(string path, CancellationToken cancellationToken)
    {
        var contents = new TarContents(path);
        await using var reader = contents.OpenReader();
        var ordinal = 0;
        while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
        {
            var at = ordinal++;
            if (!ArchiveMemberNames<Member>.TryKey(entry.Name, out var key))
            {
                throw new LayerBuildException(DiagnosticCodes.UnsafeArchiveEntry, contents.Position,
                    $"{contents.Description} has an entry '{TarInputFailures.Printable(entry.Name)}' that climbs above its root");
            }

            if (key.Length == 0)
            {
                continue; // the root folder
            }

            switch (entry.EntryType)
            {
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    contents.names.AddFile(key, new Member(at, entry.Length));
                    break;
                case TarEntryType.SymbolicLink:
                    contents.names.AddSymlink(key, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    contents.names.AddHardLink(key, entry.LinkName);
                    break;
            }
        }

        return contents;
    }

    public override async Task<Stream> OpenAsync(string member, CancellationToken cancellationToken)
    {
        if (!names.TryLocate(member, out var found))
        {
            throw new FileNotFoundException(member);
        }

        var reader = OpenReader();
        try
        {
            for (var ordinal = 0; ; ordinal++)
            {
                var entry = await reader.NextAsync(cancellationToken).ConfigureAwait(false)
                    ?? throw Error(DiagnosticCodes.ImageArchiveUnreadable, member, "the archive changed since it was opened");
                if (ordinal == found.Ordinal)
                {
                    return new BorrowedStream(entry.DataStream ?? Stream.Null, reader);
                }
            }
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private TarInputReader OpenReader() =>
        TarInputReader.Open(new TarInputSource(Path, Description, Position, DiagnosticCodes.ImageArchiveUnreadable, DiagnosticCodes.ImageArchiveUnreadable));

    private readonly record struct Member(int Ordinal, long Length);
}
