using System.Formats.Tar;
using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.TarInput;

namespace LayerBuilder.Base;

/// <summary>
/// The files of a base image's container: either a folder (an OCI layout or an unpacked docker save)
/// or a tar that is unpacked once into the staging folder, hashing every member on the way so layer
/// digests are checked without reading anything twice. Links inside the tar (Docker ≤ 24 links
/// repeated layers) are followed by name, never created on disk.
/// </summary>
internal sealed class BaseArchiveFiles
{
    private readonly string root;
    private readonly Dictionary<string, Digest> digests = new(StringComparer.Ordinal); // by file on disk
    private readonly ArchiveMemberNames<string> names = new(); // member name → file on disk
    private readonly bool isFolder;

    private BaseArchiveFiles(string root, bool isFolder)
    {
        this.root = root;
        this.isFolder = isFolder;
    }

    public string Source { get; private init; } = "";

    public static BaseArchiveFiles OpenFolder(string folder) => new(folder, isFolder: true) { Source = folder };

    public static async Task<BaseArchiveFiles> UnpackAsync(string archive, string staging, SourcePosition position, CancellationToken cancellationToken)
    {
        var members = new BaseArchiveFiles(staging, isFolder: false) { Source = archive };
        Directory.CreateDirectory(staging);
        await using (var reader = TarInputReader.Open(TarInputSource.BaseArchive(archive, position)))
        {
            var buffer = new byte[1 << 20];
            var unpacked = 0;
            while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (!ArchiveMemberNames<string>.TryKey(entry.Name, out var key) || key.Length == 0)
                {
                    continue; // the root folder; an entry that climbs out names nothing the image reads
                }

                switch (entry.EntryType)
                {
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                        // Numbered by position, not by name: a name given twice is a second file (the later one
                        // wins, as in any tar), never a clash with the first one's copy.
                        var file = Path.Combine(staging, "m" + unpacked++.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        await using (var output = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                        using (var hashing = new HashingStream(output, leaveOpen: true))
                        {
                            if (entry.DataStream is { } data)
                            {
                                int read;
                                while ((read = await data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                                {
                                    hashing.Write(buffer, 0, read);
                                }
                            }

                            members.digests[file] = hashing.Complete();
                        }

                        members.names.AddFile(key, file);
                        break;
                    case TarEntryType.SymbolicLink:
                        members.names.AddSymlink(key, entry.LinkName);
                        break;
                    case TarEntryType.HardLink:
                        members.names.AddHardLink(key, entry.LinkName);
                        break;
                }
            }
        }
        return members;
    }

    public bool Exists(string name) => Locate(name) is not null;

    /// <summary>The file on disk that holds member <paramref name="name"/>, or null.</summary>
    public string? Locate(string name)
    {
        if (isFolder)
        {
            if (!ArchiveMemberNames<string>.TryKey(name, out var key))
            {
                return null;
            }

            var path = Path.Combine(root, key);
            return File.Exists(path) ? path : null;
        }

        return names.TryLocate(name, out var file) ? file : null;
    }

    /// <summary>The sha256 of a member: known from unpacking, or hashed once for folder inputs.</summary>
    public async Task<Digest> DigestAsync(string name, CancellationToken cancellationToken)
    {
        var file = Locate(name) ?? throw new FileNotFoundException(name);
        if (digests.TryGetValue(file, out var known))
        {
            return known;
        }

        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        using var sha = System.Security.Cryptography.SHA256.Create();
        return Digest.FromHashBytes(await sha.ComputeHashAsync(stream, cancellationToken).ConfigureAwait(false));
    }
}
