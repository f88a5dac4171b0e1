using System.Text.Json;
using System.Text.Json.Nodes;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Text;

namespace LayerBuilder.Cache;

/// <summary>
/// Content-addressed store of finished layers, so a step whose plan and inputs are unchanged is not
/// written again. Layout: <c>blobs/sha256/&lt;diff id&gt;</c> (the layer tar) and
/// <c>keys/&lt;key&gt;.json</c> (a step key pointing at a diff id and size); beside them pulled content
/// (<c>refs/</c>, <c>origins/</c>, <c>checked/</c>: docs/decisions.md D35, D61) and the entries of base layer
/// tars (<c>indexes/</c>, <see cref="LayerIndexStore"/>). Every write goes to a
/// unique temporary name and is renamed into place, so concurrent builds never see half a file; a
/// layer whose bytes no longer match its digest is detected when it is used and evicted.
/// </summary>
public sealed class LayerCache
{
    public LayerCache(string root)
    {
        Root = root;
        Blobs = Path.Combine(root, "blobs", "sha256");
        Keys = Path.Combine(root, "keys");
        Temp = Path.Combine(root, "tmp");
    }

    public string Root { get; }

    private string Blobs { get; }

    private string Keys { get; }

    /// <summary>Where layers are written before they are known; same file system as the blobs, so renames are atomic.</summary>
    internal string Temp { get; }

    /// <summary>The user's cache folder: $XDG_CACHE_HOME/layerbuilder, else ~/.cache/layerbuilder.</summary>
    public static LayerCache Default()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return new LayerCache(Path.Combine(root, "layerbuilder"));
    }

    internal string NewTempPath()
    {
        Directory.CreateDirectory(Temp);
        return Path.Combine(Temp, Guid.NewGuid().ToString("N") + ".tar");
    }

    /// <summary>The layer recorded for <paramref name="key"/>, if its file is still there with the right
    /// size. Its bytes are not checked here: whoever uses it re-hashes it first (<see cref="CachingLayerSource"/>).</summary>
    internal FileLayer? TryGet(Digest key)
    {
        var record = Path.Combine(Keys, key.Hex + ".json");
        if (!File.Exists(record))
        {
            return null;
        }

        try
        {
            var node = JsonNode.Parse(File.ReadAllBytes(record));
            var diffId = Digest.Parse(node?["diffId"]?.GetValue<string>() ?? "");
            var size = node?["size"]?.GetValue<long>() ?? -1;
            var blob = Path.Combine(Blobs, diffId.Hex);
            return File.Exists(blob) && new FileInfo(blob).Length == size ? new FileLayer(blob, diffId, size) : null;
        }
        catch (Exception e) when (e is JsonException or FormatException or IOException or InvalidOperationException)
        {
            return null; // a damaged record is a miss, never an error
        }
    }

    /// <summary>Moves a layer written at <paramref name="writtenPath"/> (a <see cref="NewTempPath"/>) into
    /// the store and records <paramref name="key"/> for it.</summary>
    internal FileLayer Put(Digest key, string writtenPath, WrittenTar written)
    {
        Directory.CreateDirectory(Blobs);
        Directory.CreateDirectory(Keys);
        var blob = BlobPath(written.DiffId);
        if (File.Exists(blob) && new FileInfo(blob).Length == written.Size)
        {
            File.Delete(writtenPath); // another build stored the same bytes first
        }
        else
        {
            File.Move(writtenPath, blob, overwrite: true);
        }

        var record = new JsonObject { ["diffId"] = written.DiffId.ToString(), ["size"] = written.Size };
        AtomicFile.WriteAllBytes(Path.Combine(Keys, key.Hex + ".json"), CanonicalJson.ToBytes(record));
        return new FileLayer(blob, written.DiffId, written.Size);
    }

    /// <summary>The content-addressed folder (<c>blobs/sha256</c>): layer tars by diff id, and the manifests
    /// and configs pulled from registries by their digests (docs/decisions.md D35).</summary>
    internal string BlobFolder => Blobs;

    /// <summary>Where a registry reference (<c>host/repository:tag</c>) records the manifest digest it
    /// pointed at when last pulled, for <c>--offline</c> builds.</summary>
    internal string References => Path.Combine(Root, "refs");

    /// <summary>Where the store keeps the layer tar of <paramref name="diffId"/>.</summary>
    internal string BlobPath(Digest diffId) => Path.Combine(Blobs, diffId.Hex);

    /// <summary>Removes a stored layer whose bytes no longer match its digest, so every key that names it
    /// misses and its step is built again; false when it is not a layer of this cache.</summary>
    internal bool Evict(FileLayer layer)
    {
        var full = Path.GetFullPath(layer.FilePath);
        if (!full.StartsWith(Blobs + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full))
        {
            return false;
        }

        File.Delete(full);
        return true;
    }

    /// <summary>Makes sure the cache can be used before a build relies on it: its folders exist and a file
    /// can be written in them; throws the I/O error that says why not. Removes the temporaries of builds
    /// that were killed (their owner's lock is gone, see <see cref="OwnerLock"/>).</summary>
    internal void Prepare()
    {
        Directory.CreateDirectory(Blobs);
        Directory.CreateDirectory(Keys);
        Directory.CreateDirectory(Temp);
        var probe = Path.Combine(Temp, $".probe-{Guid.NewGuid():N}");
        File.WriteAllBytes(probe, []);
        File.Delete(probe);
        foreach (var partial in Directory.EnumerateFiles(Temp, "*" + PartialSuffix))
        {
            OwnerLock.RemoveIfAbandoned(partial, () => File.Delete(partial));
        }
    }

    /// <summary>What the name of a layer being written into <see cref="Temp"/> ends with.</summary>
    private const string PartialSuffix = ".partial";
}
