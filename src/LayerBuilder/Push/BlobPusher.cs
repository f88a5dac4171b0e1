using System.Net;
using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Registry;

namespace LayerBuilder.Push;

/// <summary>
/// Puts one blob into the client's repository the cheapest way the registry allows (distribution-spec
/// "Pushing blobs"): nothing when <c>HEAD</c> finds it; a mount (<c>POST uploads/?mount=&amp;from=</c>)
/// when another repository of the registry holds it; otherwise an upload session, filled by one PUT for a
/// small blob or PATCH chunks and a closing PUT for a large one. Each part is retried as a whole on a
/// transient failure.
/// </summary>
internal sealed class BlobPusher(RegistryClient client, PushSettings settings, IProgress<TransferProgress>? progress)
{
    private const string DigestHeader = "Docker-Content-Digest";
    private readonly PushRetry retry = new(settings);

    /// <summary>Pushes <paramref name="blob"/>; <paramref name="mountFrom"/> are repositories of the same
    /// registry that may hold it already.</summary>
    public async Task<BlobPushState> PushAsync(ILayer blob, IReadOnlyList<string> mountFrom, CancellationToken cancellationToken)
    {
        var state = await retry.RunAsync(token => ExistsAsync(blob, token), cancellationToken).ConfigureAwait(false)
            ? BlobPushState.Existed
            : await retry.RunAsync(token => SendAsync(blob, mountFrom, token), cancellationToken).ConfigureAwait(false);
        progress?.Report(new TransferProgress(PushActions.Of(state), Repository, blob.Digest, state == BlobPushState.Uploaded ? blob.Size : 0, blob.Size, Done: true));
        return state;
    }

    private async Task<bool> ExistsAsync(ILayer blob, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, $"blobs/{blob.Digest}"), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureAsync(response, $"blob {blob.Digest}", cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<BlobPushState> SendAsync(ILayer blob, IReadOnlyList<string> mountFrom, CancellationToken cancellationToken)
    {
        Uri? session = null;
        foreach (var source in mountFrom)
        {
            using var mount = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"blobs/uploads/?mount={blob.Digest}&from={Uri.EscapeDataString(source)}"), cancellationToken).ConfigureAwait(false);
            if (mount.StatusCode == HttpStatusCode.Created)
            {
                return BlobPushState.Mounted;
            }

            // 202: the registry could not mount it (the source lacks it, or mounts are off) and opened an
            // upload session instead, which the upload uses.
            await EnsureAsync(mount, $"blob {blob.Digest} (mount from {source})", cancellationToken).ConfigureAwait(false);
            session = Location(mount);
            break;
        }

        session ??= await StartAsync(blob, cancellationToken).ConfigureAwait(false);
        if (blob.Size <= settings.MonolithicLimit)
        {
            await CloseAsync(blob, session, withBlob: true, cancellationToken).ConfigureAwait(false);
            return BlobPushState.Uploaded;
        }

        for (long offset = 0; offset < blob.Size; offset += settings.ChunkSize)
        {
            session = await PatchAsync(session, blob.OpenBlobAsync, $"blob {blob.Digest}", offset, Math.Min(settings.ChunkSize, blob.Size - offset), Sent(blob), cancellationToken).ConfigureAwait(false);
        }

        await CloseAsync(blob, session, withBlob: false, cancellationToken).ConfigureAwait(false);
        return BlobPushState.Uploaded;
    }

    /// <summary>
    /// Uploads a layer while it is being compressed (docs/decisions.md D74): a session is opened at once,
    /// each chunk is sent as soon as the compression has written it, and the closing <c>PUT ?digest=</c>
    /// names the digest the compression ended with. Its digest is unknown until then, so there is no
    /// <c>HEAD</c> and no mount: the caller streams only layers it knows nothing about. A transient failure
    /// repeats the whole upload from the kept file's first byte (D39). Returns the compressed layer.
    /// </summary>
    public async Task<FileLayer> PushFollowingAsync(CompressionInFlight layer, CancellationToken cancellationToken)
    {
        var blob = await retry.RunAsync(token => FollowAsync(layer, token), cancellationToken).ConfigureAwait(false);
        progress?.Report(new TransferProgress(PushActions.Push, Repository, layer.DiffId, blob.Size, blob.Size, Done: true));
        return blob;
    }

    private async Task<FileLayer> FollowAsync(CompressionInFlight layer, CancellationToken cancellationToken)
    {
        var name = $"layer {layer.DiffId}";
        // Progress names the layer by its diff id: its blob has no digest before the last byte.
        var sent = progress is null
            ? null
            : (Action<long>)(bytes => progress.Report(new TransferProgress(PushActions.Push, Repository, layer.DiffId, bytes, null, Done: false)));
        var session = await StartAsync(name, cancellationToken).ConfigureAwait(false);
        long offset = 0;
        while (await layer.WaitForAsync(offset + settings.ChunkSize, cancellationToken).ConfigureAwait(false))
        {
            session = await PatchAsync(session, layer.OpenAsync, name, offset, settings.ChunkSize, sent, cancellationToken).ConfigureAwait(false);
            offset += settings.ChunkSize;
        }

        var blob = await layer.Compressed.ConfigureAwait(false);
        if (offset == 0 && blob.Size <= settings.MonolithicLimit)
        {
            await CloseAsync(blob, session, withBlob: true, cancellationToken).ConfigureAwait(false);
            return blob;
        }

        for (; offset < blob.Size; offset += settings.ChunkSize)
        {
            session = await PatchAsync(session, blob.OpenBlobAsync, name, offset, Math.Min(settings.ChunkSize, blob.Size - offset), sent, cancellationToken).ConfigureAwait(false);
        }

        await CloseAsync(blob, session, withBlob: false, cancellationToken).ConfigureAwait(false);
        return blob;
    }

    /// <summary>Sends <paramref name="length"/> bytes from <paramref name="offset"/> as one <c>PATCH</c> with its
    /// <c>Content-Range</c>; returns where the session goes on.</summary>
    private async Task<Uri> PatchAsync(Uri session, Func<CancellationToken, Task<Stream>> open, string name, long offset, long length, Action<long>? sent, CancellationToken cancellationToken)
    {
        using var chunk = await SendAsync(() => new HttpRequestMessage(HttpMethod.Patch, session)
        {
            Content = WithRange(new BlobContent(open, name, offset, length, sent), offset, length),
        }, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(chunk, $"{name} (chunk at {offset})", cancellationToken).ConfigureAwait(false);
        return Location(chunk);
    }

    /// <summary>Opens an upload session: <c>POST blobs/uploads/</c>, answered 202 with its Location.</summary>
    private Task<Uri> StartAsync(ILayer blob, CancellationToken cancellationToken) => StartAsync($"blob {blob.Digest}", cancellationToken);

    private async Task<Uri> StartAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "blobs/uploads/"), cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, $"{name} (upload start)", cancellationToken).ConfigureAwait(false);
        return Location(response);
    }

    /// <summary>Ends the session with <c>PUT ?digest=</c>, with the blob (monolithic) or without (after chunks);
    /// the registry checks the digest of what it got.</summary>
    private async Task CloseAsync(ILayer blob, Uri session, bool withBlob, CancellationToken cancellationToken)
    {
        var separator = string.IsNullOrEmpty(session.Query) ? "?" : "&";
        var close = new Uri(session + $"{separator}digest={Uri.EscapeDataString(blob.Digest.ToString())}");
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, close)
        {
            Content = withBlob ? new BlobContent(blob, 0, blob.Size, Sent(blob)) : Empty(),
        }, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, $"blob {blob.Digest}", cancellationToken).ConfigureAwait(false);
        if (response.Headers.TryGetValues(DigestHeader, out var digests) && digests.FirstOrDefault() is { } stored && stored != blob.Digest.ToString())
        {
            throw new LayerBuildException(DiagnosticCodes.PushDigestMismatch, client.Origin,
                $"registry '{client.Endpoint.Name}' stored blob {blob.Digest} under the digest {stored}");
        }
    }

    /// <summary>The repository as progress names it: <c>127.0.0.1:5000/team/app</c>.</summary>
    private string Repository => client.Repository.ToString();

    /// <summary>Reports bytes of <paramref name="blob"/> on their way.</summary>
    private Action<long>? Sent(ILayer blob) => progress is null
        ? null
        : bytes => progress.Report(new TransferProgress(PushActions.Push, Repository, blob.Digest, bytes, blob.Size, Done: false));

    /// <summary>Sends through the client; a dropped connection is transient.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, CancellationToken cancellationToken)
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

    /// <summary>A 2xx answer passes; a 5xx or 429 is transient; anything else is the registry's error.</summary>
    private async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var failure = await client.FailureAsync(response, what, cancellationToken).ConfigureAwait(false);
        if (PushRetry.IsTransient(response.StatusCode))
        {
            throw new TransientPushFailure(failure, PushRetry.RetryAfter(response));
        }

        throw failure;
    }

    /// <summary>The session's next address: the Location header, absolute or relative to the request.</summary>
    private Uri Location(HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new LayerBuildException(DiagnosticCodes.RegistryError, client.Origin,
            $"registry '{client.Endpoint.Name}' answered {(int)response.StatusCode} to an upload without a Location header");
        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
    }

    private static HttpContent WithRange(HttpContent content, long start, long length)
    {
        // distribution-spec: Content-Range is "<start>-<end>", inclusive, without a unit.
        content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + length - 1}");
        return content;
    }

    private static ByteArrayContent Empty()
    {
        var content = new ByteArrayContent([]);
        content.Headers.ContentType = new("application/octet-stream");
        return content;
    }
}
