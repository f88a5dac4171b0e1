using System.Text.Json;
using System.Text.Json.Nodes;
using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Recipe;
using LayerBuilder.TarInput;

namespace LayerBuilder.Base;

/// <summary>
/// Reads a base image from a save-format archive (<c>docker save</c> classic or Docker 25+ OCI-in-tar,
/// podman, LayerBuilder) or from an OCI layout folder or tar. Layers are reused byte for byte: plain
/// layers are referenced as they are, compressed ones (gzip, zstd, bzip2) are decompressed once; every
/// layer's sha256 is checked against the config's diff ids before anything is built on it.
/// </summary>
public sealed class BaseImageReader(ImageBase spec, string staging, Platform? wantedPlatform)
{
    public async Task<BaseImage> ReadAsync(CancellationToken cancellationToken)
    {
        var members = Directory.Exists(spec.HostPath)
            ? ArchiveMembers.OpenFolder(spec.HostPath)
            : File.Exists(spec.HostPath)
                ? await ArchiveMembers.UnpackAsync(spec.HostPath, Path.Combine(staging, "base-archive"), spec.Position, cancellationToken).ConfigureAwait(false)
                : throw Error(DiagnosticCodes.SourceNotFound, $"base {(spec.IsLayout ? "layout" : "image")} '{spec.HostPath}' does not exist");

        var candidates = await FindImagesAsync(members, cancellationToken).ConfigureAwait(false);
        var chosen = Choose(candidates);
        var configBytes = await members.ReadAllAsync(chosen.ConfigPath, cancellationToken).ConfigureAwait(false);
        if (chosen.ConfigDigest is { } expected && Digest.Of(configBytes).ToString() != expected)
        {
            throw Error(DiagnosticCodes.BaseLayerCorrupt, $"the config of {chosen.Describe} does not match its digest {expected}; the archive is corrupted");
        }

        var config = ParseObject(configBytes, "config");
        var diffIds = (config["rootfs"]?["diff_ids"] as JsonArray)?.Select(d => d?.GetValue<string>() ?? "").ToList()
            ?? throw Error(DiagnosticCodes.BaseImageInvalid, $"the config of {chosen.Describe} has no rootfs.diff_ids");
        if (diffIds.Count != chosen.LayerPaths.Count)
        {
            throw Error(DiagnosticCodes.BaseImageInvalid, $"{chosen.Describe} lists {chosen.LayerPaths.Count} layers but its config has {diffIds.Count} diff ids");
        }

        var layers = new List<LayerBlob>();
        for (var i = 0; i < diffIds.Count; i++)
        {
            layers.Add(await VerifiedLayerAsync(members, chosen, i, diffIds[i], cancellationToken).ConfigureAwait(false));
        }

        var platform = new Platform(
            config["os"]?.GetValue<string>() ?? "linux",
            config["architecture"]?.GetValue<string>() ?? "amd64",
            config["variant"]?.GetValue<string>());
        var history = (config["history"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(h => new HistoryEntry(null, null, null) { Inherited = (JsonObject)h.DeepClone() })
            .ToList();
        return new BaseImage(chosen.Describe, platform, ContainerConfigReader.Read(config["config"] as JsonObject), history, layers);
    }

    private async Task<LayerBlob> VerifiedLayerAsync(ArchiveMembers members, BaseImageCandidate image, int index, string diffId, CancellationToken cancellationToken)
    {
        var path = image.LayerPaths[index];
        var file = members.Locate(path) ?? throw Error(DiagnosticCodes.BaseImageInvalid, $"layer {index + 1} of {image.Describe} ('{path}') is missing from the archive");
        if (!Digest.TryParse(diffId, out var expected))
        {
            throw Error(DiagnosticCodes.BaseImageInvalid, $"diff id {index + 1} of {image.Describe} is not a sha256 digest: '{diffId}'");
        }

        Compression.Kind kind;
        await using (var head = File.OpenRead(file))
        {
            var bytes = new byte[6];
            var read = await head.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            kind = Compression.Detect(bytes.AsSpan(0, read));
        }

        Digest actual;
        long size;
        if (kind == Compression.Kind.None)
        {
            actual = await members.DigestAsync(path, cancellationToken).ConfigureAwait(false);
            size = new FileInfo(file).Length;
        }
        else
        {
            // Decompressed once into the staging folder; the uncompressed bytes are the layer.
            var staged = Path.Combine(staging, $"base-layer-{index}.tar");
            await using (var output = new FileStream(staged, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            using (var hashing = new HashingStream(output, leaveOpen: true))
            {
                var source = TarInputSource.BaseLayer(file, $"{index + 1} of {image.Describe} ('{path}')", spec.Position);
                await CompressedInput.CopyToAsync(source, hashing, cancellationToken).ConfigureAwait(false);
                actual = hashing.Complete();
                size = hashing.BytesWritten;
            }

            file = staged;
        }

        if (actual != expected)
        {
            throw Error(DiagnosticCodes.BaseLayerCorrupt,
                $"layer {index + 1} of {image.Describe} ('{path}') has sha256 {actual}, but the config says {expected}; the base archive is corrupted or was re-packed");
        }

        return new LayerBlob(file, expected, size) { CreatedBy = "base image " + image.Describe };
    }

    private async Task<List<BaseImageCandidate>> FindImagesAsync(ArchiveMembers members, CancellationToken cancellationToken)
    {
        var hasManifest = members.Exists("manifest.json");
        var hasIndex = members.Exists("index.json");
        if (hasManifest && !spec.IsLayout)
        {
            return FromManifestJson(await members.ReadAllAsync("manifest.json", cancellationToken).ConfigureAwait(false));
        }

        if (hasIndex)
        {
            return await FromIndexAsync(members, cancellationToken).ConfigureAwait(false);
        }

        throw Error(DiagnosticCodes.BaseImageInvalid, spec.IsLayout
            ? $"'{spec.HostPath}' is not an OCI layout: it has no index.json"
            : $"'{spec.HostPath}' is not a save-format archive: it has neither manifest.json nor index.json");
    }

    private List<BaseImageCandidate> FromManifestJson(byte[] bytes)
    {
        if (ParseNode(bytes, "manifest.json") is not JsonArray items)
        {
            throw Error(DiagnosticCodes.BaseImageInvalid, "manifest.json of the base archive is not a JSON array");
        }

        return items.OfType<JsonObject>().Select(item => new BaseImageCandidate(
            (item["RepoTags"] as JsonArray ?? []).Select(t => t?.GetValue<string>() ?? "").Where(t => t.Length > 0).ToList(),
            item["Config"]?.GetValue<string>() ?? throw Error(DiagnosticCodes.BaseImageInvalid, "an entry of manifest.json has no Config"),
            null,
            (item["Layers"] as JsonArray ?? []).Select(l => l?.GetValue<string>() ?? "").ToList())).ToList();
    }

    private async Task<List<BaseImageCandidate>> FromIndexAsync(ArchiveMembers members, CancellationToken cancellationToken)
    {
        var index = ParseObject(await members.ReadAllAsync("index.json", cancellationToken).ConfigureAwait(false), "index.json");
        var result = new List<BaseImageCandidate>();
        foreach (var descriptor in (index["manifests"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var names = new List<string>();
            if (descriptor["annotations"] is JsonObject annotations)
            {
                if (annotations["io.containerd.image.name"]?.GetValue<string>() is { } full)
                {
                    names.Add(full);
                }
                else if (annotations["org.opencontainers.image.ref.name"]?.GetValue<string>() is { } refName)
                {
                    names.Add(refName);
                }
            }

            var manifest = await ResolveManifestAsync(members, descriptor, cancellationToken).ConfigureAwait(false);
            if (manifest is null)
            {
                continue;
            }

            var config = manifest["config"]?["digest"]?.GetValue<string>() ?? "";
            result.Add(new BaseImageCandidate(
                names,
                BlobPath(config),
                config,
                (manifest["layers"] as JsonArray ?? []).Select(l => BlobPath(l?["digest"]?.GetValue<string>() ?? "")).ToList()));
        }

        return result;
    }

    /// <summary>Follows an index descriptor to an image manifest, choosing the platform in nested indexes.</summary>
    private async Task<JsonObject?> ResolveManifestAsync(ArchiveMembers members, JsonObject descriptor, CancellationToken cancellationToken)
    {
        var digest = descriptor["digest"]?.GetValue<string>() ?? "";
        if (!members.Exists(BlobPath(digest)))
        {
            return null; // other platforms' blobs are often absent from saved archives
        }

        var bytes = await members.ReadAllAsync(BlobPath(digest), cancellationToken).ConfigureAwait(false);
        if (Digest.Of(bytes).ToString() != digest)
        {
            throw Error(DiagnosticCodes.BaseLayerCorrupt, $"blob {digest} of the base does not match its digest; the archive is corrupted");
        }

        var node = ParseObject(bytes, digest);
        var mediaType = node["mediaType"]?.GetValue<string>() ?? descriptor["mediaType"]?.GetValue<string>() ?? "";
        if (!mediaType.Contains("index", StringComparison.Ordinal) && !mediaType.Contains("manifest.list", StringComparison.Ordinal))
        {
            return node;
        }

        var children = (node["manifests"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var wanted = wantedPlatform ?? Platform.LinuxAmd64;
        var match = children.FirstOrDefault(c =>
            c["platform"]?["os"]?.GetValue<string>() == wanted.Os &&
            c["platform"]?["architecture"]?.GetValue<string>() == wanted.Architecture &&
            (wanted.Variant is null || c["platform"]?["variant"]?.GetValue<string>() == wanted.Variant) &&
            members.Exists(BlobPath(c["digest"]?.GetValue<string>() ?? "")));
        match ??= children.FirstOrDefault(c => members.Exists(BlobPath(c["digest"]?.GetValue<string>() ?? "")));
        return match is null ? null : await ResolveManifestAsync(members, match, cancellationToken).ConfigureAwait(false);
    }

    private BaseImageCandidate Choose(List<BaseImageCandidate> candidates)
    {
        var available = candidates.Count == 0 ? "none" : string.Join("; ", candidates.Select(c => c.Describe));
        if (candidates.Count == 0)
        {
            throw Error(DiagnosticCodes.BaseImageInvalid, $"'{spec.HostPath}' holds no image");
        }

        if (spec.Ref is not { } wanted)
        {
            if (candidates.Select(c => c.ConfigPath).Distinct(StringComparer.Ordinal).Count() == 1)
            {
                return candidates[0];
            }

            throw Error(DiagnosticCodes.BaseRefAmbiguous, $"'{spec.HostPath}' holds several images; pick one with 'ref:' (available: {available})");
        }

        var key = Normalize(wanted.Value);
        var match = candidates.FirstOrDefault(c => c.Names.Any(n => n == wanted.Value || Normalize(n) == key));
        return match ?? throw new LayerBuildException(DiagnosticCodes.BaseRefNotFound, wanted.Position,
            $"ref '{wanted.Value}' is not in '{spec.HostPath}'; available: {available}");
    }

    /// <summary>"hello" and "docker.io/library/hello:latest" name the same image.</summary>
    private static string Normalize(string name)
    {
        var slash = name.LastIndexOf('/');
        var colon = name.IndexOf(':', slash + 1);
        var repo = colon < 0 ? name : name[..colon];
        var tag = colon < 0 ? "latest" : name[(colon + 1)..];
        return ImageReference.TryParse(repo, out var reference, out _) ? $"{reference.Full}:{tag}" : name;
    }

    private static string BlobPath(string digest)
    {
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? digest : $"blobs/{digest[..colon]}/{digest[(colon + 1)..]}";
    }

    private JsonObject ParseObject(byte[] bytes, string what) =>
        ParseNode(bytes, what) as JsonObject ?? throw Error(DiagnosticCodes.BaseImageInvalid, $"{what} of the base is not a JSON object");

    private JsonNode? ParseNode(byte[] bytes, string what)
    {
        try
        {
            return JsonNode.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw Error(DiagnosticCodes.BaseImageInvalid, $"{what} of the base is not valid JSON: {e.Message}");
        }
    }

    private LayerBuildException Error(DiagnosticCode code, string message) => new(code, spec.Position, message);
}
