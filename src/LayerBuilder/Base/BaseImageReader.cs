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
internal sealed class BaseImageReader(ImageBase spec, string staging, Platform? wantedPlatform)
{
    /// <summary>How many image indexes may lead to a manifest (Docker 25+ saves index.json → index → manifest).</summary>
    private const int MaxIndexNesting = 8;

    public async Task<InheritedImage> ReadAsync(CancellationToken cancellationToken)
    {
        var members = Directory.Exists(spec.HostPath)
            ? BaseArchiveFiles.OpenFolder(spec.HostPath)
            : File.Exists(spec.HostPath)
                ? await BaseArchiveFiles.UnpackAsync(spec.HostPath, Path.Combine(staging, "base-archive"), spec.Position, cancellationToken).ConfigureAwait(false)
                : throw Error(DiagnosticCodes.SourceNotFound, $"base {(spec.IsLayout ? "layout" : "image")} '{spec.HostPath}' does not exist");

        var candidates = await FindImagesAsync(members, cancellationToken).ConfigureAwait(false);
        var chosen = Choose(candidates);
        if (!members.Exists(chosen.ConfigPath))
        {
            throw Error(DiagnosticCodes.BaseImageInvalid, $"{chosen.ListedIn} names '{chosen.ConfigPath}' as the config of {chosen.Describe}, but the archive has no such member");
        }

        var configFile = await BaseJsonFile.ReadAsync(members, chosen.ConfigPath, spec.Position, cancellationToken).ConfigureAwait(false);
        if (chosen.ConfigDigest is { } expected && Digest.Of(configFile.Bytes).ToString() != expected)
        {
            throw Error(DiagnosticCodes.BaseLayerCorrupt, $"the config of {chosen.Describe} does not match its digest {expected}; the archive is corrupted");
        }

        var config = configFile.Root;
        var diffIdList = config["rootfs"]["diff_ids"];
        if (!diffIdList.Exists)
        {
            throw Error(DiagnosticCodes.BaseImageInvalid, $"the config of {chosen.Describe} has no rootfs.diff_ids");
        }

        var diffIds = diffIdList.Items().Select(d => d.String() ?? "").ToList();
        if (diffIds.Count != chosen.LayerPaths.Count)
        {
            throw Error(DiagnosticCodes.BaseImageInvalid, $"{chosen.Describe} lists {chosen.LayerPaths.Count} layers but its config has {diffIds.Count} diff ids");
        }

        var layers = new List<FileLayer>();
        for (var i = 0; i < diffIds.Count; i++)
        {
            layers.Add(await VerifiedLayerAsync(members, chosen, i, diffIds[i], cancellationToken).ConfigureAwait(false));
        }

        var platform = new Platform(
            config["os"].String() ?? "linux",
            config["architecture"].String() ?? "amd64",
            config["variant"].String());
        var history = config["history"].Items()
            .Select(h => h.Object())
            .OfType<JsonObject>()
            .Select(h => new HistoryEntry(null, null, null) { Inherited = h })
            .ToList();
        return new InheritedImage(chosen.Describe, platform, ContainerConfigReader.Read(config["config"]), history, layers);
    }

    private async Task<FileLayer> VerifiedLayerAsync(BaseArchiveFiles members, BaseImageCandidate image, int index, string diffId, CancellationToken cancellationToken)
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
                // The tar input boundary reports a damaged stream as LB2023 naming this layer.
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

        return new FileLayer(file, expected, size);
    }

    private async Task<List<BaseImageCandidate>> FindImagesAsync(BaseArchiveFiles members, CancellationToken cancellationToken)
    {
        var hasManifest = members.Exists("manifest.json");
        var hasIndex = members.Exists("index.json");
        if (hasManifest && !spec.IsLayout)
        {
            return FromManifestJson(await BaseJsonFile.ReadAsync(members, "manifest.json", spec.Position, cancellationToken).ConfigureAwait(false));
        }

        if (hasIndex)
        {
            return await FromIndexAsync(members, cancellationToken).ConfigureAwait(false);
        }

        throw Error(DiagnosticCodes.BaseImageInvalid, spec.IsLayout
            ? $"'{spec.HostPath}' is not an OCI layout: it has no index.json"
            : $"'{spec.HostPath}' is not a save-format archive: it has neither manifest.json nor index.json");
    }

    private static List<BaseImageCandidate> FromManifestJson(BaseJsonFile manifest)
    {
        if (!manifest.Root.Exists)
        {
            throw manifest.Invalid("it is not a JSON array");
        }

        return manifest.Root.Items().Select(item => new BaseImageCandidate(
            manifest.Member,
            item["RepoTags"].Items().Select(t => t.String() ?? "").Where(t => t.Length > 0).ToList(),
            item["Config"].MemberName(),
            null,
            item["Layers"].Items().Select(l => l.MemberName()).ToList())).ToList();
    }

    private async Task<List<BaseImageCandidate>> FromIndexAsync(BaseArchiveFiles members, CancellationToken cancellationToken)
    {
        var index = await BaseJsonFile.ReadAsync(members, "index.json", spec.Position, cancellationToken).ConfigureAwait(false);
        var result = new List<BaseImageCandidate>();
        foreach (var descriptor in index.Root["manifests"].Items())
        {
            var names = new List<string>();
            var annotations = descriptor["annotations"];
            if (annotations["io.containerd.image.name"].String() is { } full)
            {
                names.Add(full);
            }
            else if (annotations["org.opencontainers.image.ref.name"].String() is { } refName)
            {
                names.Add(refName);
            }

            if (await ResolveManifestAsync(members, descriptor, cancellationToken).ConfigureAwait(false) is not { } manifest)
            {
                continue;
            }

            var config = BlobDigest(manifest["config"]["digest"]);
            result.Add(new BaseImageCandidate(
                index.Member,
                names,
                BlobPath(config),
                config,
                manifest["layers"].Items().Select(l => BlobPath(BlobDigest(l["digest"]))).ToList()));
        }

        return result;
    }

    /// <summary>Follows an index descriptor to an image manifest, choosing the platform in nested indexes.</summary>
    private async Task<BaseJsonValue?> ResolveManifestAsync(BaseArchiveFiles members, BaseJsonValue descriptor, CancellationToken cancellationToken, int depth = 0)
    {
        if (depth > MaxIndexNesting)
        {
            throw descriptor.Invalid($"leads through indexes nested more than {MaxIndexNesting} deep; real images nest at most two");
        }

        var digest = BlobDigest(descriptor["digest"]);
        if (!members.Exists(BlobPath(digest)))
        {
            return null; // other platforms' blobs are often absent from saved archives
        }

        var blob = await BaseJsonFile.ReadAsync(members, BlobPath(digest), spec.Position, cancellationToken).ConfigureAwait(false);
        if (Digest.Of(blob.Bytes).ToString() != digest)
        {
            throw Error(DiagnosticCodes.BaseLayerCorrupt, $"blob {digest} of the base does not match its digest; the archive is corrupted");
        }

        var node = blob.Root;
        if (!node.Exists)
        {
            throw blob.Invalid("it is not a JSON object");
        }

        var mediaType = node["mediaType"].String() ?? descriptor["mediaType"].String() ?? "";
        if (!mediaType.Contains("index", StringComparison.Ordinal) && !mediaType.Contains("manifest.list", StringComparison.Ordinal))
        {
            return node;
        }

        var children = node["manifests"].Items().ToList();
        var wanted = wantedPlatform ?? Platform.LinuxAmd64;
        var match = children.FirstOrDefault(c =>
            c["platform"]["os"].String() == wanted.Os &&
            c["platform"]["architecture"].String() == wanted.Architecture &&
            (wanted.Variant is null || c["platform"]["variant"].String() == wanted.Variant) &&
            members.Exists(BlobPath(BlobDigest(c["digest"]))));
        if (!match.Exists)
        {
            match = children.FirstOrDefault(c => members.Exists(BlobPath(BlobDigest(c["digest"]))));
        }

        return match.Exists ? await ResolveManifestAsync(members, match, cancellationToken, depth + 1).ConfigureAwait(false) : null;
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
    internal static string Normalize(string name)
    {
        var slash = name.LastIndexOf('/');
        var colon = name.IndexOf(':', slash + 1);
        var repo = colon < 0 ? name : name[..colon];
        var tag = colon < 0 ? "latest" : name[(colon + 1)..];
        return ImageReference.TryParse(repo, out var reference, out _) ? $"{reference.Full}:{tag}" : name;
    }

    /// <summary>A descriptor's digest, which names a blob file: anything but sha256 and 64 hex digits could
    /// name another path.</summary>
    private static string BlobDigest(BaseJsonValue value)
    {
        var digest = value.RequiredString();
        return Digest.TryParse(digest, out _) ? digest : throw value.Invalid($"'{digest}' is not a sha256 digest");
    }

    private static string BlobPath(string digest) => $"blobs/sha256/{digest["sha256:".Length..]}";

    private LayerBuildException Error(DiagnosticCode code, string message) => new(code, spec.Position, message);
}
