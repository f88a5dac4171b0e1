using System.Net;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Registry;

/// <summary>
/// Sends requests to one repository of a registry (distribution-spec: <c>/v2/NAME/manifests/REF</c>,
/// <c>/v2/NAME/blobs/DIGEST</c>, <c>/v2/NAME/blobs/uploads/</c>) with the authorization its scope needs.
/// A request is made by a factory so it can be sent again: after a 401 the token of the scope is fetched
/// anew and the request repeated once. Relative URIs are resolved under <c>/v2/NAME/</c>; absolute ones (an
/// upload's <c>Location</c>) are sent as they are. Transport failures become LB5xxx errors naming the
/// registry; an error status is the caller's to judge (<see cref="FailureAsync"/> words it).
/// </summary>
internal sealed class RegistryClient
{
    private readonly RegistryConnection connection;
    private readonly string scope;

    internal RegistryClient(RegistryConnection connection, RegistryRepository repository, RegistryAccess access, SourcePosition at, IReadOnlyList<RegistryRepository> alsoPull)
    {
        this.connection = connection;
        Repository = repository;
        Access = access;
        Origin = at;
        scope = string.Join(' ', new[] { $"repository:{repository.Path}:{access.Actions()}" }
            .Concat(alsoPull.Where(r => r.Path != repository.Path).Select(r => $"repository:{r.Path}:pull")));
    }

    public RegistryRepository Repository { get; }

    public RegistryAccess Access { get; }

    /// <summary>What errors point at (the recipe's base, the image name).</summary>
    public SourcePosition Origin { get; }

    public RegistryEndpoint Endpoint => connection.Endpoint;

    /// <summary>Sends the request <paramref name="create"/> makes (called again for a retry after a 401) and
    /// returns the response, whatever its status; the caller disposes it. With
    /// <see cref="HttpCompletionOption.ResponseHeadersRead"/> the body streams.</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(create);
        var root = await connection.RootAsync(Origin, cancellationToken).ConfigureAwait(false);
        var header = await connection.Tokens.HeaderAsync(scope, Origin, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var request = create();
            if (!request.RequestUri!.IsAbsoluteUri)
            {
                request.RequestUri = new Uri(new Uri(root, Repository.Path + "/"), request.RequestUri);
            }

            request.Headers.Authorization = header;
            HttpResponseMessage response;
            try
            {
                response = await connection.Http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                request.Dispose();
                throw TransportFailure(e);
            }

            if (response.StatusCode != HttpStatusCode.Unauthorized || attempt > 0)
            {
                return response;
            }

            // The token expired, or the registry wants another scope than it advertised: ask again, once.
            var challenge = AuthChallenge.From(response.Headers.WwwAuthenticate);
            response.Dispose();
            request.Dispose();
            header = await connection.Tokens.RefreshAsync(scope, header, challenge, Origin, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The LB5xxx error for an error status: <paramref name="what"/> names what was asked for
    /// (<c>manifest 'debian:12'</c>, <c>blob sha256:…</c>); a 401 says where credentials were looked for.</summary>
    public Task<LayerBuildException> FailureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken) =>
        RegistryFailures.FromResponseAsync(response, Endpoint, what, connection.KnownCredentials, Origin, cancellationToken);

    /// <summary>The LB5xxx error for a connection that failed (also while a body streams).</summary>
    public LayerBuildException TransportFailure(Exception e) => RegistryFailures.FromTransport(e, Endpoint, connection.Trust, Origin);
}
