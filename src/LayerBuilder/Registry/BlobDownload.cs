using System.Globalization;
using System.Net.Http.Headers;
using LayerBuilder.Base;
using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using LayerBuilder.Push;
using LayerBuilder.Reading;

namespace LayerBuilder.Registry;

/// <summary>
/// Fetches manifests and blobs of one repository into the <see cref="PulledBlobStore"/>, each checked
/// against its digest while it streams to a temporary file and renamed into the store only when it
/// matched (never held whole in memory). A layer blob is kept as it came (docs/decisions.md D60); its tar is
/// made in the same pass, decompressed on a second thread while the blob downloads (D75) and checked against
/// the config's diff id, unless the build will not read it: then the tar is made from the kept blob the first
/// time something does (D79). What is already in the store is trusted once it was checked and its file is
/// unchanged since (D61), else re-hashed.
/// </summary>
internal sealed class BlobDownload(RegistryRepository repository, RegistryClient? online, PulledBlobStore store, SourcePosition at, IProgress<TransferProgress>? progress)
{
    private const int HashBuffer = 1 << 20;

    private const string DigestHeader = "Docker-Content-Digest";

    private readonly PushRetry retry = new(new PushSettings());

    private SourcePosition At => at;

    private string Repository => repository.ToString();

    /// <summary>The client, or for an <c>--offline</c> build LB5011 naming what is missing from the cache.</summary>
    private RegistryClient Client(string what) => online ?? throw new LayerBuildException(DiagnosticCodes.NotCachedOffline, at,
        $"{what} is not in the cache and the build is --offline; build once without --offline to pull it");

    /// <summary>The stored file of a checked JSON blob (manifest, index, config) of <paramref name="digest"/>, if the store has one.</summary>
    public async Task<string?> StoredAsync(Digest digest, CancellationToken cancellationToken)
    {
        if (store.Find(digest) is not { } path)
        {
            return null;
        }

        if (await store.IsIntactAsync(path, digest, cancellationToken).ConfigureAwait(false))
        {
            return path;
        }

        store.Evict(digest); // rotted on disk: fetched again
        return null;
    }

    /// <summary>GETs the manifest <paramref name="reference"/> (a tag or a digest) and stores it; returns its
    /// digest (checked against <paramref name="expected"/> and the registry's Docker-Content-Digest) and file.</summary>
    public Task<(Digest Digest, string Path)> ManifestAsync(string reference, Digest? expected, CancellationToken cancellationToken) =>
        RetriedAsync(token => FetchManifestAsync(reference, expected, token), cancellationToken);

    private async Task<(Digest Digest, string Path)> FetchManifestAsync(string reference, Digest? expected, CancellationToken cancellationToken)
    {
        var what = $"manifest '{Repository}:{reference}'".Replace(":sha256:", "@sha256:", StringComparison.Ordinal);
        var client = Client(what);
        using var response = await client.SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri("manifests/" + reference, UriKind.Relative));
            foreach (var type in RegistryMediaTypes.Manifests)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }

            return request;
        }, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(client, response, what, cancellationToken).ConfigureAwait(false);
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (RegistryMediaTypes.IsSchema1(mediaType))
        {
            throw Schema1(client, what, mediaType!);
        }

        var (digest, path) = await StoreAsync(client, response, BaseJsonFile.MaxLength, expected, what, cancellationToken).ConfigureAwait(false);
        if (response.Headers.TryGetValues(DigestHeader, out var said) && said.FirstOrDefault() is { } header &&
            Digest.TryParse(header, out var claimed) && claimed != digest)
        {
            store.Evict(digest);
            throw new LayerBuildException(DiagnosticCodes.RegistryDigestMismatch, At,
                $"registry '{client.Endpoint.Name}' sent {what} with sha256 {digest}, but said its digest is {claimed}");
        }

        return (digest, path);
    }

    /// <summary>GETs a JSON blob (the config) of <paramref name="digest"/> and <paramref name="size"/> bytes and stores it.</summary>
    public Task<string> JsonBlobAsync(Digest digest, long size, CancellationToken cancellationToken) =>
        RetriedAsync(token => FetchJsonBlobAsync(digest, size, token), cancellationToken);

    private async Task<string> FetchJsonBlobAsync(Digest digest, long size, CancellationToken cancellationToken)
    {
        var what = $"blob {digest} (config) of '{Repository}'";
        if (size > BaseJsonFile.MaxLength)
        {
            throw new LayerBuildException(DiagnosticCodes.RegistryResponseInvalid, At, $"{what} is {size} bytes, over the 16 MiB limit for a JSON blob");
        }

        var client = Client(what);
        using var response = await GetBlobAsync(client, digest, what, cancellationToken).ConfigureAwait(false);
        var (_, path) = await StoreAsync(client, response, size, digest, what, cancellationToken).ConfigureAwait(false);
        if (new FileInfo(path).Length != size)
        {
            store.Evict(digest);
            throw new LayerBuildException(DiagnosticCodes.RegistryDigestMismatch, At, $"{what} has {new FileInfo(path).Length} bytes, but the manifest says {size}");
        }

        return path;
    }

    /// <summary>
    /// The uncompressed tar of the layer blob <paramref name="digest"/> (<paramref name="size"/> bytes as
    /// stored), whose tar must have <paramref name="diffId"/>: from the store when it is there and intact;
    /// else made from the blob when the store keeps that (a pull whose tar was deferred, D79); else
    /// downloaded, decompressed and checked in one pass. With <paramref name="deferTar"/> a compressed
    /// layer's tar is not made here: the download checks the blob's digest and size and keeps it, and the tar
    /// is made and checked against its diff id the first time something reads it (<see cref="PulledLayerTar"/>,
    /// which stops with <paramref name="buildCancellation"/>).
    /// </summary>
    public async Task<LayerBlob> LayerAsync(Digest digest, long size, string mediaType, Digest diffId, int number, bool deferTar,
        CancellationToken buildCancellation, CancellationToken cancellationToken)
    {
        var keepsBlob = digest != diffId; // an uncompressed layer's blob is its tar
        if (store.Find(diffId) is { } stored)
        {
            if (await store.IsIntactAsync(stored, diffId, cancellationToken).ConfigureAwait(false))
            {
                // The compressed blob is kept beside the tar (D60); a cache from before kept none, and is
                // filled once when the registry can be asked, so a push can send or mount the very blob.
                if (!keepsBlob || store.Find(digest) is not null || online is null)
                {
                    var length = new FileInfo(stored).Length;
                    progress?.Report(new TransferProgress("cached", Repository, digest, length, length, Done: true));
                    return new FileLayer(stored, diffId, length);
                }
            }
            else
            {
                store.Evict(diffId);
            }
        }

        if (keepsBlob && PulledLayerBlob.Kept(store, digest, size, mediaType, diffId, Repository) is { } kept && await IsSoundAsync(kept, cancellationToken).ConfigureAwait(false))
        {
            // Pulled before with its tar deferred: the tar is made from the kept blob, without the registry.
            progress?.Report(new TransferProgress("cached", Repository, digest, size, size, Done: true));
            var tar = new PulledLayerTar(store, kept, What(digest, number), At, buildCancellation);
            return deferTar ? tar : await tar.TarAsync(cancellationToken).ConfigureAwait(false);
        }

        return deferTar && keepsBlob && PulledLayerBlob.CompressionOf(mediaType) is not null
            ? await RetriedAsync(token => FetchBlobAsync(digest, size, mediaType, diffId, number, buildCancellation, token), cancellationToken).ConfigureAwait(false)
            : await RetriedAsync(token => FetchLayerAsync(digest, size, mediaType, diffId, number, keepsBlob, token), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether a kept blob still holds its digest (D61; a damaged one is removed). When it does not
    /// and the registry can be asked, it is pulled afresh; an <c>--offline</c> build fails with LB5060.</summary>
    private async Task<bool> IsSoundAsync(PulledLayerBlob kept, CancellationToken cancellationToken)
    {
        try
        {
            await kept.CheckedAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (LayerBuildException e) when (online is not null && e.Diagnostics.Count == 1 && e.Diagnostics[0].Code == DiagnosticCodes.PulledBlobDamaged)
        {
            return false;
        }
    }

    /// <summary>Downloads one compressed layer blob and keeps it once its digest and size matched; its tar is
    /// made when first read (D79). A failed try leaves nothing behind.</summary>
    private async Task<LayerBlob> FetchBlobAsync(Digest digest, long size, string mediaType, Digest diffId, int number, CancellationToken buildCancellation, CancellationToken cancellationToken)
    {
        var what = What(digest, number);
        var client = Client(what);
        using var response = await GetBlobAsync(client, digest, what, cancellationToken).ConfigureAwait(false);
        string? temporary = null;
        try
        {
            Digest blobDigest;
            long blobSize;
            var body = await ReadBodyAsync(client, response, cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                progress?.Report(new TransferProgress("pull", Repository, digest, 0, size, Done: false));
                (temporary, var output) = store.CreateTemporary();
                await using (output.ConfigureAwait(false))
                {
                    // One byte over the descriptor's size is read, so a longer blob fails the size check.
                    var hashing = new HashingReadStream(new ProgressStream(body, size + 1, n => Report(digest, n, size)));
                    await hashing.CopyToAsync(output, HashBuffer, cancellationToken).ConfigureAwait(false);
                    blobDigest = await hashing.CompleteAsync(cancellationToken).ConfigureAwait(false);
                    blobSize = hashing.BytesRead;
                }
            }

            if (blobDigest != digest || blobSize != size)
            {
                throw Mismatch(client, what, blobDigest, blobSize, digest, size);
            }

            progress?.Report(new TransferProgress("pull", Repository, digest, blobSize, size, Done: true));
            Commit(temporary, digest);
            store.RememberOrigin(diffId, digest, size, mediaType, Repository);
            var kept = PulledLayerBlob.Kept(store, digest, size, mediaType, diffId, Repository)
                ?? throw new InvalidOperationException($"the blob {digest} was stored but is not found");
            return new PulledLayerTar(store, kept, what, At, buildCancellation);
        }
        catch (Exception e) when (LayerFailure(client, e) is { } failure)
        {
            throw failure;
        }
        finally
        {
            if (temporary is not null)
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Downloads, decompresses and checks one layer blob; a failed try leaves nothing behind.</summary>
    private async Task<FileLayer> FetchLayerAsync(Digest digest, long size, string mediaType, Digest diffId, int number, bool keepsBlob, CancellationToken cancellationToken)
    {
        var what = What(digest, number);
        var client = Client(what);
        using var response = await GetBlobAsync(client, digest, what, cancellationToken).ConfigureAwait(false);
        string? temporary = null;
        string? blobTemporary = null;
        try
        {
            Digest tarDigest;
            long tarSize;
            Digest blobDigest;
            long blobSize;
            var body = await ReadBodyAsync(client, response, cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                progress?.Report(new TransferProgress("pull", Repository, digest, 0, size, Done: false));
                FileStream? blobCopy = null;
                if (keepsBlob)
                {
                    (blobTemporary, blobCopy) = store.CreateTemporary();
                }

                await using var blobCopyOwner = blobCopy;
                Stream received = new ProgressStream(body, size + 1, n => Report(digest, n, size));
                if (blobCopy is not null)
                {
                    received = new CopyingReadStream(received, blobCopy);
                }

                var hashing = new HashingReadStream(received);
                await using (hashing.ConfigureAwait(false))
                {
                    (temporary, var output) = store.CreateTemporary();
                    await using var outputOwner = output;

                    // Decompressed on a second thread while the download goes on (docs/decisions.md D75).
                    var unpacked = await OverlappedHandOver.RunAsync(hashing, (blob, token) => LayerUnpacking.UnpackAsync(blob.AsStream(leaveOpen: true), output, token), cancellationToken).ConfigureAwait(false);
                    blobDigest = await hashing.CompleteAsync(cancellationToken).ConfigureAwait(false);
                    blobSize = hashing.BytesRead;
                    if (blobDigest != digest || blobSize != size)
                    {
                        // Damaged bytes: a digest mismatch says why better than the decompressor does.
                        throw Mismatch(client, what, blobDigest, blobSize, digest, size);
                    }

                    if (LayerUnpacking.IsUnreadable(unpacked.Exception?.InnerException))
                    {
                        throw new LayerBuildException(DiagnosticCodes.BaseLayerUnreadable, At,
                            $"{what} matches its digest but is not a readable gzip, zstd or plain tar: {unpacked.Exception.InnerException.Message}");
                    }

                    (tarDigest, tarSize) = await unpacked.ConfigureAwait(false);
                }
            }

            if (tarDigest != diffId)
            {
                throw new LayerBuildException(DiagnosticCodes.RegistryDigestMismatch, At,
                    $"{what} unpacks to a tar with sha256 {tarDigest}, but the config's diff id is {diffId}");
            }

            progress?.Report(new TransferProgress("pull", Repository, digest, blobSize, size, Done: true));
            if (blobTemporary is not null)
            {
                Commit(blobTemporary, digest);
            }

            var layer = new FileLayer(Commit(temporary!, diffId), diffId, tarSize);
            store.RememberOrigin(diffId, digest, size, mediaType, Repository);
            return layer;
        }
        catch (Exception e) when (LayerFailure(client, e) is { } failure)
        {
            throw failure;
        }
        finally
        {
            if (temporary is not null)
            {
                File.Delete(temporary);
            }

            if (blobTemporary is not null)
            {
                File.Delete(blobTemporary);
            }
        }
    }

    /// <summary>The one-line error for what broke while a layer blob was read into the store: the connection
    /// (checked first: a broken response is an <see cref="IOException"/> too) or the disk; null for anything
    /// else, which goes on as it is.</summary>
    private LayerBuildException? LayerFailure(RegistryClient client, Exception e) =>
        e is HttpIOException or HttpRequestException || IsFromResponse(e) ? client.TransportFailure(e)
        : e is IOException or UnauthorizedAccessException ? store.NotWritable(e, At)
        : null;

    private static bool IsFromResponse(Exception e) => e is IOException { InnerException: System.Net.Sockets.SocketException };

    private static async Task<HttpResponseMessage> GetBlobAsync(RegistryClient client, Digest digest, string what, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri("blobs/" + digest, UriKind.Relative)),
            HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await FailureAsync(client, response, what, cancellationToken).ConfigureAwait(false);
            }
        }

        return response;
    }

    /// <summary>The error for an error status: one worth trying again (a 5xx, a 429) is transient.</summary>
    private static async Task<Exception> FailureAsync(RegistryClient client, HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var failure = await client.FailureAsync(response, what, cancellationToken).ConfigureAwait(false);
        return PushRetry.IsTransient(response.StatusCode) ? new TransientPushFailure(failure, PushRetry.RetryAfter(response)) : failure;
    }

    /// <summary>Runs one fetch, and again after a backoff when the registry answered 5xx or 429 or the
    /// connection broke while the answer was read, as a push does (docs/decisions.md D62). A refused
    /// connection, an unknown host or a wrong digest is reported at once.</summary>
    private Task<T> RetriedAsync<T>(Func<CancellationToken, Task<T>> fetch, CancellationToken cancellationToken) =>
        retry.RunAsync(async token =>
        {
            try
            {
                return await fetch(token).ConfigureAwait(false);
            }
            catch (LayerBuildException e) when (e.Diagnostics.Count == 1 && e.Diagnostics[0].Code == DiagnosticCodes.RegistryConnectionLost)
            {
                throw new TransientPushFailure(e, null);
            }
        }, cancellationToken);

    /// <summary>Streams the body into a temporary file while hashing it, at most <paramref name="limit"/> bytes;
    /// commits it under its digest when that is <paramref name="expected"/> (or nothing was expected).</summary>
    private async Task<(Digest Digest, string Path)> StoreAsync(RegistryClient client, HttpResponseMessage response, long limit, Digest? expected, string what, CancellationToken cancellationToken)
    {
        string? temporary = null;
        try
        {
            Digest digest;
            (temporary, var output) = store.CreateTemporary();
            await using (output.ConfigureAwait(false))
            {
                using var hashing = new HashingStream(output, leaveOpen: true);
                var body = await ReadBodyAsync(client, response, cancellationToken).ConfigureAwait(false);
                await using (body.ConfigureAwait(false))
                {
                    long copied;
                    try
                    {
                        copied = await BoundedCopy.CopyAsync(body, hashing, limit, null, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is HttpIOException or HttpRequestException || (e is IOException && IsFromResponse(e)))
                    {
                        throw client.TransportFailure(e);
                    }

                    if (copied < 0)
                    {
                        throw new LayerBuildException(DiagnosticCodes.RegistryResponseInvalid, At,
                            $"registry '{client.Endpoint.Name}' sent more than {limit.ToString("N0", CultureInfo.InvariantCulture)} bytes for {what}");
                    }
                }

                digest = hashing.Complete();
            }

            if (expected is { } wanted && digest != wanted)
            {
                throw new LayerBuildException(DiagnosticCodes.RegistryDigestMismatch, At,
                    $"registry '{client.Endpoint.Name}' sent {what} with sha256 {digest}, which does not match its digest {wanted}");
            }

            return (digest, Commit(temporary, digest));
        }
        catch (IOException e) when (e is not HttpIOException && !IsFromResponse(e))
        {
            throw store.NotWritable(e, At);
        }
        finally
        {
            if (temporary is not null)
            {
                File.Delete(temporary);
            }
        }
    }

    private static async Task<Stream> ReadBodyAsync(RegistryClient client, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or HttpIOException)
        {
            throw client.TransportFailure(e);
        }
    }

    private string Commit(string temporary, Digest digest)
    {
        try
        {
            return store.Commit(temporary, digest);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw store.NotWritable(e, At);
        }
    }

    private LayerBuildException Mismatch(RegistryClient client, string what, Digest actual, long actualSize, Digest expected, long expectedSize) =>
        new(DiagnosticCodes.RegistryDigestMismatch, At, actualSize != expectedSize
            ? $"registry '{client.Endpoint.Name}' sent {actualSize.ToString(CultureInfo.InvariantCulture)} bytes for {what}, but the manifest says {expectedSize.ToString(CultureInfo.InvariantCulture)}; nothing was stored"
            : $"registry '{client.Endpoint.Name}' sent {what} with sha256 {actual}, which does not match its digest {expected}; nothing was stored");

    internal static LayerBuildException Schema1(RegistryClient client, string what, string mediaType) =>
        new(DiagnosticCodes.UnsupportedManifest, client.Origin,
            $"registry '{client.Endpoint.Name}' serves {what} as Docker schema 1 ({mediaType}), which LayerBuilder does not read; push the image again with a current docker, podman or skopeo (schema 2 or OCI)");

    private string What(Digest digest, int number) => $"blob {digest} (layer {number}) of '{Repository}'";

    private void Report(Digest digest, long bytes, long size) =>
        progress?.Report(new TransferProgress("pull", Repository, digest, bytes, size, Done: false));
}
