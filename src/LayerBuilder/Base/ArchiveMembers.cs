using System.Formats.Tar;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
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
public sealed class ArchiveMembers
{
    private readonly string root;
    private readonly Dictionary<string, Digest> digests = new(StringComparer.Ordinal); // by file on disk
    private readonly Dictionary<string, string> links = new(StringComparer.Ordinal);
    private readonly HashSet<string> files = new(StringComparer.Ordinal);
    private readonly bool isFolder;

    private ArchiveMembers(string root, bool isFolder)
    {
        this.root = root;
        this.isFolder = isFolder;
    }

    public string Source { get; private init; } = "";

    public static ArchiveMembers OpenFolder(string folder) => new(folder, isFolder: true) { Source = folder };

    public static async Task<ArchiveMembers> UnpackAsync(string archive, string staging, SourcePosition position, CancellationToken cancellationToken)
    {
        var members = new ArchiveMembers(staging, isFolder: false) { Source = archive };
        Directory.CreateDirectory(staging);
        await using (var reader = TarInputReader.Open(TarInputSource.BaseArchive(archive, position)))
        {
            var buffer = new byte[1 << 20];
            var unpacked = 0;
            while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (!ImagePath.TryNormalize("/" + entry.Name, out var name) || name.IsRoot)
                {
                    if (name.IsRoot)
                    {
                        continue;
                    }

                    throw new LayerBuildException(DiagnosticCodes.UnsafeArchiveEntry, position, $"base archive '{archive}' has an entry '{entry.Name}' that climbs above its root");
                }

                var key = name.TarName;
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

                        members.links[key] = file;
                        members.files.Add(key);
                        break;
                    case TarEntryType.SymbolicLink:
                        var target = entry.LinkName.StartsWith('/') ? entry.LinkName : name.Parent.Value + "/" + entry.LinkName;
                        if (ImagePath.TryNormalize(target, out var resolved))
                        {
                            members.links[key] = "@" + resolved.TarName;
                        }

                        break;
                    case TarEntryType.HardLink:
                        if (ImagePath.TryNormalize("/" + entry.LinkName, out var hard))
                        {
                            members.links[key] = "@" + hard.TarName;
                        }

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
        if (!ImagePath.TryNormalize("/" + name, out var normalized))
        {
            return null;
        }

        var key = normalized.TarName;
        if (isFolder)
        {
            var path = Path.Combine(root, key);
            return File.Exists(path) ? path : null;
        }

        for (var hops = 0; hops < 16 && links.TryGetValue(key, out var value); hops++)
        {
            if (!value.StartsWith('@'))
            {
                return value;
            }

            key = value[1..];
        }

        return null;
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
