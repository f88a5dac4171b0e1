using System.Text;
using System.Text.Json.Nodes;
using LayerBuilder.Cache;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Text;

namespace LayerBuilder.Registry;

/// <summary>
/// Where pulled content lands, content-addressed (docs/decisions.md D35): the layer cache's
/// <c>blobs/sha256</c> folder, shared with the layers LayerBuilder writes (a pulled layer is stored as its
/// uncompressed tar under its diff id; a manifest, index or config under its own digest), and <c>refs/</c>,
/// which records the digest a tag named when it was last pulled. Everything is written to a temporary
/// file, checked against its digest, and only then renamed into place: a failed pull leaves nothing a
/// later build would take. Without a usable cache the same layout lives in the build's staging folder.
/// </summary>
internal sealed class PulledBlobStore
{
    private const int HashBuffer = 1 << 20;

    private readonly string blobs;
    private readonly string temp;
    private readonly string? references;
    private readonly string origins;
    private readonly string checks;

    private PulledBlobStore(string blobs, string temp, string? references, string records, bool persistent)
    {
        this.blobs = blobs;
        this.temp = temp;
        this.references = references;
        origins = Path.Combine(records, "origins");
        checks = Path.Combine(records, "checked");
        IsPersistent = persistent;
    }

    /// <summary>Whether the content outlives the build (the user's cache), so <c>--offline</c> can use it.</summary>
    public bool IsPersistent { get; }

    public static PulledBlobStore InCache(LayerCache cache) =>
        new(cache.BlobFolder, cache.Temp, cache.References, Path.GetDirectoryName(cache.References)!, persistent: true);

    public static PulledBlobStore InStaging(string staging)
    {
        var root = Path.Combine(staging, "pulled");
        return new(Path.Combine(root, "blobs"), Path.Combine(root, "tmp"), null, root, persistent: false);
    }

    /// <summary>The stored file of <paramref name="digest"/>, or null; its bytes are checked by whoever reads it.</summary>
    public string? Find(Digest digest)
    {
        var path = PathOf(digest);
        return File.Exists(path) ? path : null;
    }

    /// <summary>A new temporary file beside the store (same file system: the rename is atomic), open for
    /// writing. It is made with its <see cref="OwnerLock"/> held (<see cref="OwnedTemporaryFile"/>), so the
    /// cache's sweep removes it only once a killed build left it behind.</summary>
    public (string Path, FileStream Stream) CreateTemporary()
    {
        Directory.CreateDirectory(temp);
        var (path, handle) = OwnedTemporaryFile.Create(() => Path.Combine(temp, $"pull-{Guid.NewGuid():N}.partial"), FileAccess.Write, FileShare.None);
        return (path, new FileStream(handle, FileAccess.Write, TemporaryBuffer));
    }

    private const int TemporaryBuffer = 1 << 16;

    /// <summary>Moves a checked temporary file into the store under <paramref name="digest"/>, and records
    /// the file as checked (<see cref="IsIntactAsync"/>).</summary>
    public string Commit(string temporary, Digest digest)
    {
        Directory.CreateDirectory(blobs);
        var path = PathOf(digest);
        File.Move(temporary, path, overwrite: true);
        RecordChecked(path, digest);
        return path;
    }

    /// <summary>
    /// Whether the stored file <paramref name="path"/> still holds <paramref name="digest"/>. A file this
    /// store checked (hashed while it was written, or re-hashed) and recorded by device, inode, size,
    /// modification and status-change time is trusted without reading it while all five are the same:
    /// no write, truncation, rename over it or metadata change leaves the status-change time as it was,
    /// and no process can set that time (docs/decisions.md D61). Otherwise it is re-hashed, and recorded
    /// again when it matches.
    /// </summary>
    public async Task<bool> IsIntactAsync(string path, Digest digest, CancellationToken cancellationToken)
    {
        if (StatRecord(path) is { } now && ReadRecord(digest) == now)
        {
            return true;
        }

        if (await HashFileAsync(path, cancellationToken).ConfigureAwait(false) != digest)
        {
            return false;
        }

        RecordChecked(path, digest);
        return true;
    }

    /// <summary>The SHA-256 of a file, read front to back.</summary>
    public static async Task<Digest> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = new byte[HashBuffer];
        int read;
        while ((read = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        return Digest.FromHashBytes(hash.GetHashAndReset());
    }

    /// <summary>Removes a stored file whose bytes no longer match its digest.</summary>
    public void Evict(Digest digest)
    {
        try
        {
            File.Delete(CheckPath(digest));
            File.Delete(PathOf(digest));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // It is fetched again and replaced by the rename, or the build fails writing it.
        }
    }

    /// <summary>The manifest digest <paramref name="reference"/> pointed at when last pulled.</summary>
    public Digest? Recall(string reference)
    {
        if (references is null)
        {
            return null;
        }

        var record = RecordPath(reference);
        try
        {
            var node = File.Exists(record) ? JsonNode.Parse(File.ReadAllBytes(record)) : null;
            return node?["reference"]?.GetValue<string>() == reference && Digest.TryParse(node["digest"]?.GetValue<string>(), out var digest)
                ? digest
                : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or InvalidOperationException)
        {
            return null; // a damaged record is a miss
        }
    }

    /// <summary>Records that <paramref name="reference"/> names <paramref name="digest"/> now.</summary>
    public void Remember(string reference, Digest digest)
    {
        if (references is null)
        {
            return;
        }

        Directory.CreateDirectory(references);
        AtomicFile.WriteAllBytes(RecordPath(reference), CanonicalJson.ToBytes(new JsonObject { ["reference"] = reference, ["digest"] = digest.ToString() }));
    }

    /// <summary>Records where the layer tar <paramref name="diffId"/> was pulled from: its compressed blob
    /// (<paramref name="digest"/>, <paramref name="size"/>, <paramref name="mediaType"/>) in
    /// <paramref name="repository"/>, so a push to the same registry can mount that blob instead of
    /// uploading the layer again. Best effort: a record that cannot be written only costs that.</summary>
    public void RememberOrigin(Digest diffId, Digest digest, long size, string mediaType, string repository)
    {
        try
        {
            Directory.CreateDirectory(origins);
            AtomicFile.WriteAllBytes(Path.Combine(origins, diffId.Hex + ".json"), CanonicalJson.ToBytes(new JsonObject
            {
                ["digest"] = digest.ToString(),
                ["size"] = size,
                ["mediaType"] = mediaType,
                ["repository"] = repository,
            }));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only a later mount is lost.
        }
    }

    /// <summary>Where the layer tar <paramref name="diffId"/> was last pulled from (see <see cref="RememberOrigin"/>), or null.</summary>
    public (Digest Digest, long Size, string MediaType, string Repository)? FindOrigin(Digest diffId)
    {
        var record = Path.Combine(origins, diffId.Hex + ".json");
        try
        {
            var node = File.Exists(record) ? JsonNode.Parse(File.ReadAllBytes(record)) : null;
            return node is not null && Digest.TryParse(node["digest"]?.GetValue<string>(), out var digest)
                ? (digest, node["size"]?.GetValue<long>() ?? -1, node["mediaType"]?.GetValue<string>() ?? "", node["repository"]?.GetValue<string>() ?? "")
                : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>LB3001 for a store that cannot be written.</summary>
    public LayerBuildException NotWritable(Exception e, SourcePosition at) =>
        new(DiagnosticCodes.OutputNotWritable, at, $"cannot write pulled content into '{Path.GetDirectoryName(blobs)}': {e.Message}");

    private string PathOf(Digest digest) => Path.Combine(blobs, digest.Hex);

    private string CheckPath(Digest digest) => Path.Combine(checks, digest.Hex);

    /// <summary>What the check record of a file holds: <c>DEVICE INODE SIZE MTIME CTIME</c> (nanoseconds);
    /// null where the platform gives no inode or status-change time (never trusted unread there).</summary>
    private static string? StatRecord(string path)
    {
        try
        {
            var info = HostFileInfo.Stat(path);
            return info.Inode == 0 || info.ChangedNanoseconds == 0
                ? null
                : FormattableString.Invariant($"{info.Device} {info.Inode} {info.Size} {info.ModifiedNanoseconds} {info.ChangedNanoseconds}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private string? ReadRecord(Digest digest)
    {
        try
        {
            var file = CheckPath(digest);
            return File.Exists(file) ? File.ReadAllText(file) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Records <paramref name="path"/> as checked to hold <paramref name="digest"/>. Best effort:
    /// without a record the file is only hashed again when next used.</summary>
    private void RecordChecked(string path, Digest digest)
    {
        if (StatRecord(path) is not { } record)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(checks);
            AtomicFile.WriteAllBytes(CheckPath(digest), Encoding.UTF8.GetBytes(record));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // hashed again next time
        }
    }

    private string RecordPath(string reference) => Path.Combine(references!, Digest.Of(Encoding.UTF8.GetBytes(reference)).Hex + ".json");
}
