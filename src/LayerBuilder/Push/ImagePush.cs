using System.Net;
using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Registry;

namespace LayerBuilder.Push;

/// <summary>What a push did: the manifest digest the registry holds under every tag, and each blob's fate.</summary>
internal sealed record PushOutcome(Digest ManifestDigest, IReadOnlyList<string> References, IReadOnlyDictionary<Digest, BlobPushState> Blobs);

/// <summary>
/// Pushes an image to the repository its name says (distribution-spec "Push"): every blob (the layers and
/// the config) first, each the cheapest way (<see cref="BlobPusher"/>), several at once; then the
/// manifest, once per tag, last, so no tag ever names a manifest whose blobs are missing. The manifest is
/// the image's own OCI manifest, byte for byte (docs/decisions.md D38), so its digest is the one printed.
/// </summary>
internal static class ImagePush
{
    private const string DigestHeader = "Docker-Content-Digest";

    /// <summary>Pushes <paramref name="image"/>; blobs for which <paramref name="sent"/> is true were uploaded
    /// already, while they were compressed (docs/decisions.md D74), and are neither asked for nor sent again.</summary>
    public static async Task<PushOutcome> PushAsync(RegistrySession session, ImageModel image, BlobLocations? locations, PushSettings settings,
        IProgress<TransferProgress>? progress, SourcePosition at, Func<Digest, bool>? sent, CancellationToken cancellationToken)
    {
        var (client, states) = await PushBlobsAsync(session, image, locations, settings, progress, at, sent, cancellationToken).ConfigureAwait(false);
        var references = await TagAsync(client, image, new Document(image.ManifestDescriptor, image.ManifestBytes), settings, cancellationToken).ConfigureAwait(false);
        return new PushOutcome(image.ManifestDescriptor.Digest, references, states);
    }

    /// <summary>
    /// Pushes an image index (docs/decisions.md D58): each platform's blobs, then its manifest by digest
    /// (no tag names a platform alone), then the index, once per tag, last.
    /// </summary>
    public static async Task<PushOutcome> PushIndexAsync(RegistrySession session, ImageIndex index, BlobLocations? locations, PushSettings settings,
        IProgress<TransferProgress>? progress, SourcePosition at, Func<Digest, bool>? sent, CancellationToken cancellationToken)
    {
        RegistryClient? client = null;
        var states = new Dictionary<Digest, BlobPushState>();
        var retry = new PushRetry(settings);
        foreach (var image in index.Images)
        {
            (client, var pushed) = await PushBlobsAsync(session, image, locations, settings, progress, at, sent, cancellationToken).ConfigureAwait(false);
            foreach (var (digest, state) in pushed)
            {
                states.TryAdd(digest, state);
            }

            var manifest = new Document(image.ManifestDescriptor, image.ManifestBytes);
            var byDigest = image.ManifestDescriptor.Digest.ToString();
            if (!await retry.RunAsync(token => HoldsAsync(client, image, byDigest, manifest, token), cancellationToken).ConfigureAwait(false))
            {
                await retry.RunAsync(token => PutManifestAsync(client, image, byDigest, manifest, token), cancellationToken).ConfigureAwait(false);
            }
        }

        var references = await TagAsync(client!, index.First, new Document(index.Descriptor, index.Bytes), settings, cancellationToken).ConfigureAwait(false);
        return new PushOutcome(index.Descriptor.Digest, references, states);
    }

    /// <summary>A manifest or index as it is sent: its descriptor and exact bytes.</summary>
    private sealed record Document(Descriptor Descriptor, byte[] Bytes);

    /// <summary>Every blob of <paramref name="image"/> (its layers and config), each the cheapest way, several at once.</summary>
    private static async Task<(RegistryClient Client, Dictionary<Digest, BlobPushState> States)> PushBlobsAsync(RegistrySession session, ImageModel image,
        BlobLocations? locations, PushSettings settings, IProgress<TransferProgress>? progress, SourcePosition at, Func<Digest, bool>? sent, CancellationToken cancellationToken)
    {
        var repository = RegistryRepository.For(image.Reference);
        var registry = repository.Endpoint.Host;
        var blobs = image.Layers.Prepend(new ConfigBlob(image.ConfigDescriptor, image.ConfigBytes)).DistinctBy(b => b.Digest).ToList();
        // A base layer is mounted from the repository it was pulled from when that is on this registry
        // (D60), else from where an earlier push put the blob.
        var mountFrom = blobs.ToDictionary(
            b => b.Digest,
            b => (IReadOnlyList<string>)new[] { (b as PulledLayerBlob)?.OriginPathOn(repository.Endpoint.Name) }.OfType<string>()
                .Concat(locations?.Of(registry, b.Digest) ?? []).Where(r => r != repository.Path).Take(1).ToList());
        var sources = mountFrom.Values.SelectMany(r => r).Distinct().Select(r => new RegistryRepository(repository.Endpoint, r)).ToList();
        var client = session.Client(repository, RegistryAccess.PullPush, at, sources);

        var pusher = new BlobPusher(client, settings, progress);
        var states = new Dictionary<Digest, BlobPushState>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = settings.ConcurrentUploads, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(blobs, options, async (blob, token) =>
        {
            var state = sent?.Invoke(blob.Digest) == true
                ? BlobPushState.Uploaded
                : await pusher.PushAsync(blob, mountFrom[blob.Digest], token).ConfigureAwait(false);
            lock (states)
            {
                states[blob.Digest] = state;
            }

            locations?.Remember(registry, blob.Digest, repository.Path);
        }).ConfigureAwait(false);
        return (client, states);
    }

    /// <summary>Puts <paramref name="document"/> under every tag of <paramref name="image"/>.</summary>
    private static async Task<List<string>> TagAsync(RegistryClient client, ImageModel image, Document document, PushSettings settings, CancellationToken cancellationToken)
    {
        var retry = new PushRetry(settings);
        var references = new List<string>();
        foreach (var tag in image.Tags)
        {
            // A tag that already names this very manifest is left alone: an unchanged re-push writes nothing.
            if (!await retry.RunAsync(token => HoldsAsync(client, image, tag, document, token), cancellationToken).ConfigureAwait(false))
            {
                await retry.RunAsync(token => PutManifestAsync(client, image, tag, document, token), cancellationToken).ConfigureAwait(false);
            }

            references.Add($"{image.Reference.Full}:{tag}");
        }

        return references;
    }

    /// <summary>Whether <paramref name="tag"/> (a tag or a digest) names this document already (<c>HEAD manifests/TAG</c>).</summary>
    private static async Task<bool> HoldsAsync(RegistryClient client, ImageModel image, string tag, Document document, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(client, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Head, $"manifests/{tag}");
            request.Headers.Accept.Add(new(document.Descriptor.MediaType));
            return request;
        }, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        if (!response.IsSuccessStatusCode)
        {
            var failure = await client.FailureAsync(response, $"manifest '{Name(image, tag)}'", cancellationToken).ConfigureAwait(false);
            throw PushRetry.IsTransient(response.StatusCode) ? new TransientPushFailure(failure, PushRetry.RetryAfter(response)) : failure;
        }

        return response.Headers.TryGetValues(DigestHeader, out var digests) && digests.FirstOrDefault() == document.Descriptor.Digest.ToString();
    }

    /// <summary>Sends through the client; a dropped connection is transient.</summary>
    private static async Task<HttpResponseMessage> SendAsync(RegistryClient client, Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        try
        {
            return await client.SendAsync(create, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (LayerBuildException e) when (e.Diagnostics.Count == 1 && e.Diagnostics[0].Code == DiagnosticCodes.RegistryConnectionLost)
        {
            throw new TransientPushFailure(e, null);
        }
    }

    private static async Task<bool> PutManifestAsync(RegistryClient client, ImageModel image, string tag, Document document, CancellationToken cancellationToken)
    {
        var response = await SendAsync(client, () => new HttpRequestMessage(HttpMethod.Put, $"manifests/{tag}") { Content = ManifestContent(document) }, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var failure = await client.FailureAsync(response, $"manifest '{Name(image, tag)}'", cancellationToken).ConfigureAwait(false);
                throw PushRetry.IsTransient(response.StatusCode) ? new TransientPushFailure(failure, PushRetry.RetryAfter(response)) : failure;
            }

            // The registry names what it stored; any other digest than ours would make the printed one a lie.
            if (response.Headers.TryGetValues(DigestHeader, out var digests) && digests.FirstOrDefault() is { } stored && stored != document.Descriptor.Digest.ToString())
            {
                throw new LayerBuildException(DiagnosticCodes.PushDigestMismatch, client.Origin,
                    $"registry '{client.Endpoint.Name}' stored the manifest of '{Name(image, tag)}' as {stored}, not as the pushed {document.Descriptor.Digest}");
            }

            return response.StatusCode == HttpStatusCode.Created;
        }
    }

    /// <summary><c>name:tag</c>, or <c>name@sha256:…</c> for a manifest put by digest.</summary>
    private static string Name(ImageModel image, string tag) =>
        tag.StartsWith("sha256:", StringComparison.Ordinal) ? $"{image.Reference.Full}@{tag}" : $"{image.Reference.Full}:{tag}";

    private static ByteArrayContent ManifestContent(Document document)
    {
        var content = new ByteArrayContent(document.Bytes);
        content.Headers.ContentType = new(document.Descriptor.MediaType);
        return content;
    }
}
