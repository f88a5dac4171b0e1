using System.Globalization;
using System.Text.Json.Nodes;
using LayerBuilder.Base;
using LayerBuilder.Diagnostics;
using LayerBuilder.Image;

namespace LayerBuilder.Reading;

/// <summary>
/// Finds the images of an archive or layout and reads their metadata, for reading and for validation
/// alike: manifest.json entries and index.json manifests (nested indexes followed, the two matched up),
/// each image's manifest and config, its layers' descriptors and diff ids. Every cross-reference that
/// does not hold is a <see cref="ReadingFinding"/>, and listing goes on with what can still be read, so
/// validation reports all of them; opening the archive fails on the first one that leaves an image
/// unreadable. JSON is read by <see cref="BaseJsonFile"/>, with its limits (docs/security.md).
/// </summary>
internal sealed class ImageListing
{
    /// <summary>How many image indexes may lead to a manifest (Docker 25+ saves index.json → index → manifest).</summary>
    private const int MaxIndexNesting = 8;

    private const string ManifestJson = "manifest.json";
    private const string IndexJson = "index.json";
    private const string OciLayoutFile = "oci-layout";
    private const string RepositoriesFile = "repositories";
    private const string BlobFolder = "blobs/sha256/";
    private const string LegacyLayerFile = "/layer.tar";

    /// <summary>The annotation BuildKit puts on the manifests of attestations (in-toto statements, not layers).</summary>
    private const string ReferenceType = "vnd.docker.reference.type";

    private readonly ArchiveContents contents;
    private readonly List<ReadingFinding> findings = [];
    private readonly List<ArchivedImage> images = [];

    private ImageListing(ArchiveContents contents)
    {
        this.contents = contents;
    }

    public IReadOnlyList<ArchivedImage> Images => images;

    public IReadOnlyList<ReadingFinding> Findings => findings;

    public static async Task<ImageListing> ReadAsync(ArchiveContents contents, CancellationToken cancellationToken)
    {
        var listing = new ImageListing(contents);
        await listing.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        return listing;
    }

    private async Task ReadAllAsync(CancellationToken cancellationToken)
    {
        var hasManifest = contents.Exists(ManifestJson);
        var hasIndex = contents.Exists(IndexJson);
        if (!hasManifest && !hasIndex)
        {
            Report(DiagnosticCodes.MemberMissing, DiagnosticCodes.BaseImageInvalid,
                "it has neither manifest.json nor index.json, so it is neither a save-format archive nor an OCI layout");
            return;
        }

        var entries = hasManifest ? await GuardedAsync<List<Candidate>>(() => ReadManifestJsonAsync(cancellationToken)).ConfigureAwait(false) ?? [] : [];
        var candidates = entries;
        if (hasIndex)
        {
            if (!contents.Exists(OciLayoutFile))
            {
                Report(DiagnosticCodes.MemberMissing, null, "it has index.json but no oci-layout file");
            }

            var fromIndex = await GuardedAsync<List<Candidate>>(() => ReadIndexAsync(cancellationToken)).ConfigureAwait(false) ?? [];
            candidates = Merge(fromIndex, entries);
        }

        foreach (var candidate in candidates)
        {
            if (await GuardedAsync<ArchivedImage>(() => BuildAsync(candidate, cancellationToken)).ConfigureAwait(false) is { } image)
            {
                images.Add(image);
            }
        }

        if (contents.Exists(RepositoriesFile))
        {
            await GuardedAsync<object>(() => CheckRepositoriesAsync(entries, cancellationToken)).ConfigureAwait(false);
        }

        foreach (var entry in entries)
        {
            await GuardedAsync<object>(() => CheckLegacyChainAsync(entry, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>Checks the classic layout's chain of v1 layer folders: each <c>ID/json</c> that is there
    /// names its own folder as <c>id</c> and the folder of the layer below as <c>parent</c> (none for the
    /// bottom layer), as Docker's pre-1.10 loader follows it.</summary>
    private async Task<object?> CheckLegacyChainAsync(Candidate entry, CancellationToken cancellationToken)
    {
        string? below = null;
        foreach (var member in entry.LayerMembers)
        {
            if (!member.EndsWith(LegacyLayerFile, StringComparison.Ordinal))
            {
                return null; // not the classic layout: there is no chain to follow
            }

            var id = member[..^LegacyLayerFile.Length];
            var json = id + "/json";
            if (contents.Exists(json))
            {
                var file = await ReadJsonAsync(json, cancellationToken).ConfigureAwait(false);
                var ownId = file.Root["id"].String();
                var parent = file.Root["parent"].String();
                if (ownId is not null && ownId != id)
                {
                    Report(DiagnosticCodes.LayerChainBroken, null, $"{json} of {entry.Describe} gives the id '{ownId}', not its folder's '{id}'");
                }

                if (parent != below)
                {
                    Report(DiagnosticCodes.LayerChainBroken, null, below is null
                        ? $"{json} of {entry.Describe} is the bottom layer but names the parent '{parent}'"
                        : $"{json} of {entry.Describe} names the parent '{parent ?? "(none)"}', but the layer below it in manifest.json is '{below}'");
                }
            }

            below = id;
        }

        return null;
    }

    private async Task<List<Candidate>?> ReadManifestJsonAsync(CancellationToken cancellationToken)
    {
        var file = await ReadJsonAsync(ManifestJson, cancellationToken).ConfigureAwait(false);
        if (!file.Root.Exists)
        {
            throw file.Invalid("it is not a JSON array");
        }

        return file.Root.Items().Select(item =>
        {
            var tags = item["RepoTags"].Items().Select(t => t.String() ?? "").Where(t => t.Length > 0).ToList();
            return new Candidate
            {
                ListedIn = ManifestJson,
                RepoTags = tags,
                Names = [.. tags],
                ConfigMember = item["Config"].MemberName(),
                LayerMembers = item["Layers"].Items().Select(l => l.MemberName()).ToList(),
            };
        }).ToList();
    }

    private async Task<List<Candidate>?> ReadIndexAsync(CancellationToken cancellationToken)
    {
        var index = await ReadJsonAsync(IndexJson, cancellationToken).ConfigureAwait(false);
        var byManifest = new Dictionary<Digest, Candidate>();
        var found = new List<Candidate>();
        foreach (var descriptor in index.Root["manifests"].Items())
        {
            var annotations = descriptor["annotations"];
            var names = new List<string>();
            if ((annotations["io.containerd.image.name"].String() ?? annotations["org.opencontainers.image.ref.name"].String()) is { Length: > 0 } name)
            {
                names.Add(name);
            }

            var manifests = new List<(Descriptor, BaseJsonFile, Descriptor?)>();
            await ResolveAsync(descriptor, IndexJson, 0, null, manifests, cancellationToken).ConfigureAwait(false);
            foreach (var (manifest, file, imageIndex) in manifests)
            {
                if (byManifest.TryGetValue(manifest.Digest, out var known))
                {
                    known.Names.AddRange(names.Where(n => !known.Names.Contains(n)));
                    continue;
                }

                var candidate = FromManifest(manifest, file, names);
                candidate.Index = imageIndex;
                byManifest[manifest.Digest] = candidate;
                found.Add(candidate);
            }
        }

        return found;
    }

    /// <summary>Follows a descriptor of index.json (or of a nested index) to the image manifests it leads to.
    /// A manifest that index.json names must be there; those of a nested index often are not (a save keeps
    /// only the platforms it has), so a missing one there is a finding for verify only (LB4016), not a
    /// reason to refuse the archive. Each manifest comes with the image
    /// index that listed it (null for one index.json names directly).</summary>
    private async Task ResolveAsync(BaseJsonValue value, string listedIn, int depth, Descriptor? listingIndex, List<(Descriptor, BaseJsonFile, Descriptor?)> into, CancellationToken cancellationToken)
    {
        if (depth > MaxIndexNesting)
        {
            throw value.Invalid($"leads through indexes nested more than {MaxIndexNesting} deep; real images nest at most two");
        }

        var descriptor = ReadDescriptor(value);
        var member = BlobPath(descriptor.Digest);
        if (!contents.Exists(member))
        {
            if (depth == 0)
            {
                Report(DiagnosticCodes.MemberMissing, DiagnosticCodes.BaseImageInvalid, $"{listedIn} names the manifest {descriptor.Digest}, but there is no {member}");
            }
            else
            {
                // Reading goes on with the platforms that are there; verify reports the one that is not
                // (docs/decisions.md D73), and `verify --partial` accepts it for a save of some platforms.
                var platform = value["platform"];
                var named = platform.Exists ? $"the {new Platform(platform["os"].String() ?? "", platform["architecture"].String() ?? "", platform["variant"].String())} manifest" : "the manifest";
                Report(DiagnosticCodes.PlatformManifestMissing, null, $"the image index {listedIn} names {named} {descriptor.Digest}, but there is no {member}");
            }

            return;
        }

        var file = await ReadJsonAsync(member, cancellationToken).ConfigureAwait(false);
        CheckBlob(descriptor, file.Bytes, member, listedIn);
        if (!file.Root.Exists)
        {
            throw file.Invalid("it is not a JSON object");
        }

        var own = file.Root["mediaType"].String();
        if (own is not null && descriptor.MediaType.Length > 0 && own != descriptor.MediaType)
        {
            Report(DiagnosticCodes.ReferencesDisagree, null, $"{listedIn} gives {member} the media type '{descriptor.MediaType}', but the blob says '{own}'");
        }

        foreach (var (named, where) in new[] { (descriptor.MediaType, $"{listedIn} gives {member}"), (own ?? "", $"{member} has") })
        {
            if (named.Length > 0 && !IsIndexOrManifest(named))
            {
                Report(DiagnosticCodes.UnknownMediaType, null, $"{where} the media type '{named}', which is neither an image index nor an image manifest");
            }
        }

        var type = own ?? descriptor.MediaType;
        var isIndex = KnownMediaTypes.Indexes.Contains(type) || (!KnownMediaTypes.Manifests.Contains(type) && file.Root["manifests"].Exists);

        if (!isIndex)
        {
            into.Add((descriptor with { MediaType = type }, file, listingIndex));
            return;
        }

        foreach (var child in file.Root["manifests"].Items())
        {
            if (child["annotations"][ReferenceType].String() is null)
            {
                await ResolveAsync(child, member, depth + 1, descriptor with { MediaType = type }, into, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private Candidate FromManifest(Descriptor manifest, BaseJsonFile file, List<string> names)
    {
        var member = BlobPath(manifest.Digest);
        var config = ReadDescriptor(file.Root["config"]);
        var layers = file.Root["layers"].Items().Select(ReadDescriptor).ToList();
        if (!KnownMediaTypes.Configs.Contains(config.MediaType))
        {
            Report(DiagnosticCodes.UnknownMediaType, null, $"the manifest {member} gives its config the media type '{config.MediaType}', which is no image config type");
        }

        foreach (var (layer, i) in layers.Select((l, i) => (l, i)))
        {
            if (!KnownMediaTypes.Layers.Contains(layer.MediaType))
            {
                Report(DiagnosticCodes.UnknownMediaType, null, $"the manifest {member} gives layer {i + 1} the media type '{layer.MediaType}', which is no layer type");
            }
        }

        return new Candidate
        {
            ListedIn = member,
            Names = [.. names],
            ConfigMember = BlobPath(config.Digest),
            ConfigDescriptor = config,
            Manifest = manifest,
            LayerMembers = layers.Select(l => BlobPath(l.Digest)).ToList(),
            LayerDescriptors = layers,
        };
    }

    /// <summary>Pairs index.json's images with manifest.json's (Docker 25+ and LayerBuilder's oci format
    /// write both): the same config and layers make the same image, which takes both files' names.</summary>
    private List<Candidate> Merge(List<Candidate> fromIndex, List<Candidate> entries)
    {
        var matched = new HashSet<Candidate>();
        foreach (var image in fromIndex)
        {
            var entry = entries.FirstOrDefault(e => !matched.Contains(e) && SameMember(e.ConfigMember, image.ConfigMember) &&
                e.LayerMembers.Count == image.LayerMembers.Count && e.LayerMembers.Zip(image.LayerMembers).All(p => SameMember(p.First, p.Second)));
            if (entry is not null)
            {
                matched.Add(entry);
                image.RepoTags = entry.RepoTags;
                image.Names = [.. entry.RepoTags.Concat(image.Names).Distinct(StringComparer.Ordinal)];
            }
        }

        var result = new List<Candidate>(fromIndex);
        foreach (var entry in entries.Where(e => !matched.Contains(e)))
        {
            var sameConfig = fromIndex.FirstOrDefault(i => SameMember(i.ConfigMember, entry.ConfigMember));
            if (sameConfig is not null)
            {
                Report(DiagnosticCodes.ReferencesDisagree, null,
                    $"manifest.json lists the layers of {entry.Describe} as [{string.Join(", ", entry.LayerMembers)}], but its manifest {sameConfig.ListedIn} has [{string.Join(", ", sameConfig.LayerMembers)}]");
                continue;
            }

            Report(DiagnosticCodes.ReferencesDisagree, null, $"manifest.json lists {entry.Describe} (config '{entry.ConfigMember}'), which no manifest of index.json describes");
            result.Add(entry);
        }

        return result;
    }

    private async Task<ArchivedImage?> BuildAsync(Candidate candidate, CancellationToken cancellationToken)
    {
        if (!contents.Exists(candidate.ConfigMember))
        {
            Report(DiagnosticCodes.MemberMissing, DiagnosticCodes.BaseImageInvalid,
                $"{candidate.ListedIn} names '{candidate.ConfigMember}' as the config of {candidate.Describe}, but there is no such member");
            return null;
        }

        var file = await ReadJsonAsync(candidate.ConfigMember, cancellationToken).ConfigureAwait(false);
        var id = Digest.Of(file.Bytes);
        if (candidate.ConfigDescriptor is { } described)
        {
            CheckBlob(described, file.Bytes, candidate.ConfigMember, candidate.ListedIn);
        }
        else if (DigestInName(candidate.ConfigMember) is { } named && named != id)
        {
            Report(DiagnosticCodes.BlobDigestMismatch, DiagnosticCodes.BaseLayerCorrupt,
                $"the config '{candidate.ConfigMember}' of {candidate.Describe} has sha256 {id}, not the digest its name gives");
        }

        var config = ReadConfig(file);
        var describe = candidate.Describe;
        if (candidate.LayerMembers.Count != config.DiffIds.Count)
        {
            Report(DiagnosticCodes.CountMismatch, DiagnosticCodes.BaseImageInvalid,
                $"{describe} has {candidate.LayerMembers.Count} layers in {candidate.ListedIn}, but its config '{candidate.ConfigMember}' has {config.DiffIds.Count} diff ids");
        }

        var nonEmpty = config.History.Count(h => !h.EmptyLayer);
        if (config.History.Count > 0 && nonEmpty != candidate.LayerMembers.Count)
        {
            Report(DiagnosticCodes.CountMismatch, null,
                $"the config '{candidate.ConfigMember}' of {describe} has {nonEmpty} history entries that make a layer, but the image has {candidate.LayerMembers.Count} layers");
        }

        var layers = new List<ArchivedLayer>();
        for (var i = 0; i < Math.Min(candidate.LayerMembers.Count, config.DiffIds.Count); i++)
        {
            var member = candidate.LayerMembers[i];
            if (!contents.Exists(member))
            {
                Report(DiagnosticCodes.MemberMissing, DiagnosticCodes.BaseImageInvalid, $"layer {i + 1} of {describe} ('{member}') is missing from the archive");
                continue;
            }

            layers.Add(candidate.LayerDescriptors?[i] is { } layer
                ? new ArchivedLayer(contents, describe, i, member, layer.Digest, config.DiffIds[i], layer.Size, layer.MediaType, described: true)
                : new ArchivedLayer(contents, describe, i, member, config.DiffIds[i], config.DiffIds[i], contents.Length(member), MediaTypes.Layer, described: false));
        }

        var configDescriptor = new Descriptor(candidate.ConfigDescriptor?.MediaType ?? KnownMediaTypes.DockerConfig, id, file.Bytes.Length);
        return new ArchivedImage(candidate.Names, candidate.Manifest, configDescriptor, file.Bytes, config, layers) { Index = candidate.Index };
    }

    /// <summary>The config as the image-spec's config.md defines it; a field of the wrong type is LB2019 naming it.</summary>
    private static ImageConfig ReadConfig(BaseJsonFile file)
    {
        var root = file.Root;
        if (!root.Exists)
        {
            throw file.Invalid("it is not a JSON object");
        }

        var diffIds = root["rootfs"]["diff_ids"];
        if (!diffIds.Exists)
        {
            throw file.Invalid("it has no rootfs.diff_ids");
        }

        var platform = new Platform(root["os"].String() ?? "", root["architecture"].String() ?? "", root["variant"].String());
        var created = root["created"].String() is { } text
            ? Time(text) ?? throw root["created"].Invalid($"'{text}' is not an RFC 3339 time")
            : DateTimeOffset.UnixEpoch;
        var history = root["history"].Items().Select(h =>
        {
            var node = h.Object();
            return new HistoryEntry(
                h["created"].String() is { } at ? Time(at) : null,
                h["created_by"].String(),
                h["comment"].String(),
                node?["empty_layer"] is JsonValue flag && flag.TryGetValue<bool>(out var empty) && empty)
            { Inherited = node };
        }).ToList();
        return new ImageConfig(
            platform,
            created,
            ContainerConfigReader.Read(root["config"]),
            diffIds.Items().Select(ReadDigest).ToList(),
            history);
    }

    /// <summary>Checks the classic layout's <c>repositories</c> against manifest.json: the same names, each
    /// pointing at the folder of its image's top layer.</summary>
    private async Task<object?> CheckRepositoriesAsync(List<Candidate> entries, CancellationToken cancellationToken)
    {
        var file = await ReadJsonAsync(RepositoriesFile, cancellationToken).ConfigureAwait(false);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (repository, tags) in file.Root.Properties())
        {
            foreach (var (tag, id) in tags.Properties())
            {
                var name = $"{repository}:{tag}";
                listed.Add(name);
                var entry = entries.FirstOrDefault(e => e.RepoTags.Contains(name));
                if (entry is null)
                {
                    Report(DiagnosticCodes.ReferencesDisagree, null, $"repositories names {name}, which manifest.json does not list");
                }
                else if (entry.LayerMembers.Count > 0 && LayerId(entry.LayerMembers[^1]) is { } top && id.String() != top)
                {
                    Report(DiagnosticCodes.ReferencesDisagree, null,
                        $"repositories gives {name} the layer id '{id.String()}', but its top layer in manifest.json is '{entry.LayerMembers[^1]}'");
                }
            }
        }

        foreach (var name in entries.SelectMany(e => e.RepoTags).Where(n => !listed.Contains(n)))
        {
            Report(DiagnosticCodes.ReferencesDisagree, null, $"manifest.json names {name}, which repositories does not list");
        }

        return null;
    }

    /// <summary>The v1 id a layer member stands for: its folder (<c>ID/layer.tar</c>) or its blob's hex.</summary>
    private static string? LayerId(string member) =>
        member.EndsWith(LegacyLayerFile, StringComparison.Ordinal) ? member[..^LegacyLayerFile.Length]
        : member.StartsWith(BlobFolder, StringComparison.Ordinal) ? member[BlobFolder.Length..]
        : null;

    private void CheckBlob(Descriptor descriptor, byte[] bytes, string member, string listedIn)
    {
        var actual = Digest.Of(bytes);
        if (actual != descriptor.Digest)
        {
            Report(DiagnosticCodes.BlobDigestMismatch, DiagnosticCodes.BaseLayerCorrupt, $"{member} has sha256 {actual}, but {listedIn} names it {descriptor.Digest}");
        }

        if (bytes.Length != descriptor.Size)
        {
            Report(DiagnosticCodes.BlobSizeMismatch, DiagnosticCodes.BaseLayerCorrupt,
                $"{member} has {bytes.Length.ToString(CultureInfo.InvariantCulture)} bytes, but {listedIn} gives its size as {descriptor.Size.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private async Task<BaseJsonFile> ReadJsonAsync(string member, CancellationToken cancellationToken)
    {
        var stream = await contents.OpenAsync(member, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await BaseJsonFile.ReadAsync(stream, contents.Length(member), member, contents.Description, contents.Position, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one part of the listing; what makes it fail (broken JSON, a field of the wrong type) is
    /// a finding, and the parts that do not depend on it go on.</summary>
    private async Task<T?> GuardedAsync<T>(Func<Task<T?>> part)
        where T : class
    {
        try
        {
            return await part().ConfigureAwait(false);
        }
        catch (LayerBuildException e)
        {
            findings.AddRange(e.Diagnostics.Select(d => new ReadingFinding(DiagnosticCodes.MetadataInvalid, d.Code, d.Message)));
            return null;
        }
    }

    private void Report(DiagnosticCode code, DiagnosticCode? openCode, string problem) =>
        findings.Add(new ReadingFinding(code, openCode, $"{contents.Description}: {problem}"));

    private static Descriptor ReadDescriptor(BaseJsonValue value)
    {
        var digest = ReadDigest(value["digest"]);
        var size = value["size"].WholeNumber(0) ?? throw value.Invalid("has no size");
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, text) in value["annotations"].Properties())
        {
            annotations[key] = text.String() ?? "";
        }

        return new Descriptor(value["mediaType"].String() ?? "", digest, size) { Annotations = annotations };
    }

    /// <summary>A digest that names a blob: anything but sha256 and 64 hex digits could name another path.</summary>
    private static Digest ReadDigest(BaseJsonValue value)
    {
        var text = value.RequiredString();
        return Digest.TryParse(text, out var digest) ? digest : throw value.Invalid($"'{text}' is not a sha256 digest");
    }

    private static bool IsIndexOrManifest(string mediaType) =>
        KnownMediaTypes.Indexes.Contains(mediaType) || KnownMediaTypes.Manifests.Contains(mediaType);

    private static string BlobPath(Digest digest) => BlobFolder + digest.Hex;

    /// <summary>The digest a config's member name claims: <c>HEX.json</c> (classic) or <c>blobs/sha256/HEX</c>.</summary>
    private static Digest? DigestInName(string member)
    {
        var name = member.StartsWith(BlobFolder, StringComparison.Ordinal) ? member[BlobFolder.Length..]
            : member.EndsWith(".json", StringComparison.Ordinal) ? member[..^".json".Length]
            : null;
        return Digest.TryParse("sha256:" + name, out var digest) ? digest : null;
    }

    private static bool SameMember(string a, string b) =>
        ArchiveMemberNames<string>.TryKey(a, out var left) && ArchiveMemberNames<string>.TryKey(b, out var right) && left == right;

    private static DateTimeOffset? Time(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    /// <summary>One image as manifest.json or index.json gives it, before its config is read.</summary>
    private sealed class Candidate
    {
        public required string ListedIn { get; init; }

        public List<string> Names { get; set; } = [];

        public List<string> RepoTags { get; set; } = [];

        public required string ConfigMember { get; init; }

        public Descriptor? ConfigDescriptor { get; init; }

        public Descriptor? Manifest { get; init; }

        public Descriptor? Index { get; set; }

        public required List<string> LayerMembers { get; init; }

        public List<Descriptor>? LayerDescriptors { get; init; }

        public string Describe => ArchivedImage.Describe(Names, ConfigDescriptor?.Digest ?? DigestInName(ConfigMember));
    }
}
