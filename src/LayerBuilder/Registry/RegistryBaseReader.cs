using System.Text.Json.Nodes;
using LayerBuilder.Base;
using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Recipe;

namespace LayerBuilder.Registry;

/// <summary>
/// Reads a base image from a registry (<c>base: REFERENCE</c>) into the same <see cref="InheritedImage"/> an
/// image archive gives: the manifest by tag (one request; its digest is remembered for <c>--offline</c>)
/// or by digest (none when it is cached), the platform's manifest out of an index, the config, and every
/// layer as its verified uncompressed tar in the cache (<see cref="BlobDownload"/>); with
/// <paramref name="deferTars"/>, a compressed layer as its verified blob, its tar made when something first
/// reads it (<see cref="PulledLayerTar"/>, docs/decisions.md D79). Docker schema 2 and OCI manifests and
/// indexes are read; schema 1 is refused.
/// </summary>
internal sealed class RegistryBaseReader(RegistryBase spec, RegistryPull pull, Platform? wantedPlatform, bool deferTars)
{
    private readonly PulledBlobStore store = pull.Store;

    /// <summary>Layers downloaded at the same time: enough to fill a link, few enough to keep the disk sequential.</summary>
    private const int ConcurrentLayers = 3;

    /// <summary>An index that leads to another index is followed this deep at most.</summary>
    private const int MaxIndexNesting = 4;

    private SourcePosition At => spec.Position;

    public async Task<InheritedImage> ReadAsync(CancellationToken cancellationToken)
    {
        if (!RemoteReference.TryParse(spec.Reference, out var reference, out var problem))
        {
            throw new LayerBuildException(DiagnosticCodes.InvalidBaseReference, At, $"base '{spec.Reference}' is not an image reference: {problem}");
        }

        var repository = reference.Repository;
        var client = pull.Session?.Client(repository, RegistryAccess.Pull, At);
        var download = new BlobDownload(repository, client, store, At, pull.Progress);
        var name = reference.ToString();

        Digest digest;
        string path;
        if (reference.Digest is { } pinned)
        {
            digest = pinned;
            path = await download.StoredAsync(pinned, cancellationToken).ConfigureAwait(false)
                ?? (await download.ManifestAsync(pinned.ToString(), pinned, cancellationToken).ConfigureAwait(false)).Path;
        }
        else
        {
            var tag = reference.Tag ?? RemoteReference.DefaultTag;
            var key = $"{repository}:{tag}";
            if (client is null)
            {
                digest = store.Recall(key) ?? throw NotCached($"'{name}' was never pulled");
                path = await download.StoredAsync(digest, cancellationToken).ConfigureAwait(false) ?? throw NotCached($"the manifest of '{name}' ({digest})");
            }
            else
            {
                (digest, path) = await download.ManifestAsync(tag, null, cancellationToken).ConfigureAwait(false);
                Remember(key, digest);
            }
        }

        var manifest = await ReadJsonAsync(path, $"manifest {digest}", name, cancellationToken).ConfigureAwait(false);
        for (var depth = 0; IsIndex(manifest); depth++)
        {
            if (depth >= MaxIndexNesting)
            {
                throw new LayerBuildException(DiagnosticCodes.UnsupportedManifest, At, $"the index of '{name}' leads through more than {MaxIndexNesting} nested indexes");
            }

            var child = ChoosePlatform(manifest, name);
            digest = child.Digest;
            path = await download.StoredAsync(child.Digest, cancellationToken).ConfigureAwait(false)
                ?? (await download.ManifestAsync(child.Digest.ToString(), child.Digest, cancellationToken).ConfigureAwait(false)).Path;
            manifest = await ReadJsonAsync(path, $"manifest {digest}", name, cancellationToken).ConfigureAwait(false);
        }

        var configDescriptor = Descriptor(manifest.Root["config"], $"the config of manifest {digest}");
        var layerDescriptors = manifest.Root["layers"].Items().Select((l, i) => Descriptor(l, $"layer {i + 1} of manifest {digest}")).ToList();
        var layerTypes = manifest.Root["layers"].Items().Select(l => l["mediaType"].String() ?? MediaTypes.LayerGzip).ToList();
        var configPath = await download.StoredAsync(configDescriptor.Digest, cancellationToken).ConfigureAwait(false)
            ?? await download.JsonBlobAsync(configDescriptor.Digest, configDescriptor.Size, cancellationToken).ConfigureAwait(false);
        var config = (await ReadJsonAsync(configPath, $"config {configDescriptor.Digest}", name, cancellationToken).ConfigureAwait(false)).Root;

        var diffIds = config["rootfs"]["diff_ids"].Items().Select(d => d.RequiredString()).ToList();
        if (diffIds.Count != layerDescriptors.Count)
        {
            throw new LayerBuildException(DiagnosticCodes.BaseImageInvalid, At,
                $"'{name}' lists {layerDescriptors.Count} layers but its config has {diffIds.Count} diff ids");
        }

        var layers = new LayerBlob[layerDescriptors.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = ConcurrentLayers, CancellationToken = cancellationToken };
        await Parallel.ForAsync(0, layers.Length, options, async (i, token) =>
        {
            if (!Digest.TryParse(diffIds[i], out var diffId))
            {
                throw new LayerBuildException(DiagnosticCodes.BaseImageInvalid, At, $"diff id {i + 1} of '{name}' is not a sha256 digest: '{diffIds[i]}'");
            }

            layers[i] = await download.LayerAsync(layerDescriptors[i].Digest, layerDescriptors[i].Size, layerTypes[i], diffId, i + 1, deferTars, cancellationToken, token).ConfigureAwait(false);
        }).ConfigureAwait(false);

        var platform = new Platform(config["os"].String() ?? "linux", config["architecture"].String() ?? "amd64", config["variant"].String());
        var history = config["history"].Items()
            .Select(h => h.Object())
            .OfType<JsonObject>()
            .Select(h => new HistoryEntry(null, null, null) { Inherited = h })
            .ToList();
        // The blobs the manifest pins, kept by the pull (D60): an oci output of this compression stores them as they are (D78).
        var blobs = layers.Select((l, i) => l is PulledLayerTar deferred
            ? deferred.Blob
            : PulledLayerBlob.Kept(store, layerDescriptors[i].Digest, layerDescriptors[i].Size, layerTypes[i], l.DiffId, repository.ToString())).ToList();
        return new InheritedImage(name, platform, ContainerConfigReader.Read(config["config"]), history, layers) { Blobs = blobs };
    }

    private bool IsIndex(BaseJsonFile manifest)
    {
        var root = manifest.Root;
        var mediaType = root["mediaType"].String();
        var version = root["schemaVersion"].WholeNumber();
        if (version == 1 || RegistryMediaTypes.IsSchema1(mediaType))
        {
            throw new LayerBuildException(DiagnosticCodes.UnsupportedManifest, At,
                $"{manifest.Member} is a Docker schema 1 manifest, which LayerBuilder does not read; push the image again with a current docker, podman or skopeo (schema 2 or OCI)");
        }

        if (RegistryMediaTypes.IsIndex(mediaType) || (mediaType is null && root["manifests"].Exists))
        {
            return true;
        }

        if (RegistryMediaTypes.IsManifest(mediaType) || (mediaType is null && root["config"].Exists))
        {
            return false;
        }

        throw new LayerBuildException(DiagnosticCodes.UnsupportedManifest, At,
            $"{manifest.Member} has media type '{mediaType}', which is neither an image manifest nor an index (OCI or Docker schema 2)");
    }

    /// <summary>The index entry of the wanted platform (default linux/amd64): os and architecture equal, and
    /// the variant equal when the recipe names one (else the first entry, preferring no variant).</summary>
    private (Digest Digest, long Size) ChoosePlatform(BaseJsonFile index, string name)
    {
        var wanted = wantedPlatform ?? Platform.LinuxAmd64;
        var entries = index.Root["manifests"].Items().Select(e =>
        {
            var p = e["platform"];
            return (Entry: e, Platform: new Platform(p["os"].String() ?? "", p["architecture"].String() ?? "", p["variant"].String()));
        }).ToList();
        var matches = entries.Where(e => e.Platform.Os == wanted.Os && e.Platform.Architecture == wanted.Architecture &&
            (wanted.Variant is null || e.Platform.Variant == wanted.Variant)).ToList();
        if (matches.Count == 0)
        {
            var present = entries.Select(e => e.Platform).Where(p => p.Os.Length > 0 && p.Os != "unknown").Select(p => p.ToString()).Distinct().ToList();
            throw new LayerBuildException(DiagnosticCodes.PlatformNotInIndex, At,
                $"'{name}' has no image for platform {wanted}; its index has {(present.Count == 0 ? "no platforms" : string.Join(", ", present))}; set 'platform' to one of them");
        }

        var chosen = matches.OrderBy(m => m.Platform.Variant is null ? 0 : 1).First();
        var descriptor = Descriptor(chosen.Entry, $"the {chosen.Platform} entry of the index");
        return (descriptor.Digest, descriptor.Size);
    }

    private (Digest Digest, long Size) Descriptor(BaseJsonValue value, string what)
    {
        var text = value["digest"].String();
        if (!Digest.TryParse(text, out var digest))
        {
            throw new LayerBuildException(DiagnosticCodes.UnsupportedManifest, At, $"{what} has digest '{text}'; LayerBuilder reads sha256 digests only");
        }

        var size = value["size"].WholeNumber(0) ?? throw new LayerBuildException(DiagnosticCodes.BaseImageInvalid, At, $"{what} has no size");
        return (digest, size);
    }

    private async Task<BaseJsonFile> ReadJsonAsync(string path, string member, string name, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        return await BaseJsonFile.ReadAsync(stream, stream.Length, member, $"base '{name}'", At, cancellationToken).ConfigureAwait(false);
    }

    private void Remember(string key, Digest digest)
    {
        try
        {
            store.Remember(key, digest);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw store.NotWritable(e, At);
        }
    }

    private LayerBuildException NotCached(string what) => new(DiagnosticCodes.NotCachedOffline, At,
        $"base '{spec.Reference}' is not in the cache: {what}, and the build is --offline; build once without --offline to pull it");
}
