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

    public static async Task<PushOutcome> PushAsync(RegistrySession session, ImageModel image, BlobLocations? locations, PushSettings settings,
        IProgress<TransferProgress>? progress, SourcePosition at, CancellationToken cancellationToken)
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
            var state = await pusher.PushAsync(blob, mountFrom[blob.Digest], token).ConfigureAwait(false);
            lock (states)
            {
                states[blob.Digest] = state;
            }

            locations?.Remember(registry, blob.Digest, repository.Path);
        }).ConfigureAwait(false);

        var retry = new PushRetry(settings);
        var references = new List<string>();
        foreach (var tag in image.Tags)
        {
            // A tag that already names this very manifest is left alone: an unchanged re-push writes nothing.
            if (!await retry.RunAsync(token => TagHoldsAsync(client, image, tag, token), cancellationToken).ConfigureAwait(false))
            {
                await retry.RunAsync(token => PutManifestAsync(client, image, tag, token), cancellationToken).ConfigureAwait(false);
            }

            references.Add($"{image.Reference.Full}:{tag}");
        }

        return new PushOutcome(image.ManifestDescriptor.Digest, references, states);
    }

    /// <summary>Whether <paramref name="tag"/> names this manifest already (<c>HEAD manifests/TAG</c>).</summary>
    private static async Task<bool> TagHoldsAsync(RegistryClient client, ImageModel image, string tag, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(client, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Head, $"manifests/{tag}");
            request.Headers.Accept.Add(new(image.ManifestDescriptor.MediaType));
            return request;
        }, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        if (!response.IsSuccessStatusCode)
        {
            var failure = await client.FailureAsync(response, $"manifest '{image.Reference.Full}:{tag}'", cancellationToken).ConfigureAwait(false);
            throw PushRetry.IsTransient(response.StatusCode) ? new TransientPushFailure(failure, PushRetry.RetryAfter(response)) : failure;
        }

        return response.Headers.TryGetValues(DigestHeader, out var digests) && digests.FirstOrDefault() == image.ManifestDescriptor.Digest.ToString();
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

    private static async Task<bool> PutManifestAsync(RegistryClient client, ImageModel image, string tag, CancellationToken cancellationToken)
    {
        var response = await SendAsync(client, () => new HttpRequestMessage(HttpMethod.Put, $"manifests/{tag}") { Content = ManifestContent(image) }, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var failure = await client.FailureAsync(response, $"manifest '{image.Reference.Full}:{tag}'", cancellationToken).ConfigureAwait(false);
                throw PushRetry.IsTransient(response.StatusCode) ? new TransientPushFailure(failure, PushRetry.RetryAfter(response)) : failure;
            }

            // The registry names what it stored; any other digest than ours would make the printed one a lie.
            if (response.Headers.TryGetValues(DigestHeader, out var digests) && digests.FirstOrDefault() is { } stored && stored != image.ManifestDescriptor.Digest.ToString())
            {
                throw new LayerBuildException(DiagnosticCodes.PushDigestMismatch, client.Origin,
                    $"registry '{client.Endpoint.Name}' stored the manifest of '{image.Reference.Full}:{tag}' as {stored}, not as the pushed {image.ManifestDescriptor.Digest}");
            }

            return response.StatusCode == HttpStatusCode.Created;
        }
    }

    private static ByteArrayContent ManifestContent(ImageModel image)
    {
        var content = new ByteArrayContent(image.ManifestBytes);
        content.Headers.ContentType = new(image.ManifestDescriptor.MediaType);
        return content;
    }
}
