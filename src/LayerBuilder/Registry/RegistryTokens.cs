using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Registry;

/// <summary>
/// The Authorization header of a registry's requests, per scope: nothing for an open registry, Basic with the
/// credentials found when it asks for Basic, and for Bearer a token from its realm (distribution's token
/// authentication: <c>GET realm?service=…&amp;scope=repository:NAME:pull</c> with the credentials as Basic,
/// or an OAuth2 <c>refresh_token</c> POST for an identity token). One token per scope (repository and
/// actions), fetched once and again only after a 401. Tokens stay in memory; none is written anywhere.
/// </summary>
internal sealed class RegistryTokens(RegistryConnection connection)
{
    /// <summary>A token answer larger than this is not a token.</summary>
    private const int MaxTokenResponse = 1 << 20;

    private const string ClientId = "layerbuilder";

    private readonly Dictionary<string, Task<AuthenticationHeaderValue?>> byScope = new(StringComparer.Ordinal);
    private readonly Lock refreshing = new();

    /// <summary>The header for <paramref name="scope"/> (<c>repository:NAME:ACTIONS</c>, space-separated for several).</summary>
    public Task<AuthenticationHeaderValue?> HeaderAsync(string scope, SourcePosition at, CancellationToken cancellationToken)
    {
        // Under the refresh's lock, not ConcurrentDictionary.GetOrAdd: its factory may run once per racing
        // caller, and blobs go several at once, so the first requests of a scope each fetched a token.
        lock (refreshing)
        {
            // A failed fetch is not remembered: the next request asks again (and reports its own error).
            if (!byScope.TryGetValue(scope, out var header) || header.IsFaulted || header.IsCanceled)
            {
                header = FetchAsync(scope, at, cancellationToken);
                byScope[scope] = header;
            }

            return header;
        }
    }

    /// <summary>Forgets the header <paramref name="stale"/> of <paramref name="scope"/> after a 401 and fetches a
    /// new one, answering <paramref name="challenge"/> (the 401's own WWW-Authenticate) when there is one. When
    /// another request's 401 replaced that header already (blobs go several at once), its new one is taken:
    /// one token per scope, not one per request that failed with the old.</summary>
    public Task<AuthenticationHeaderValue?> RefreshAsync(string scope, AuthenticationHeaderValue? stale, AuthChallenge? challenge, SourcePosition at, CancellationToken cancellationToken)
    {
        lock (refreshing)
        {
            if (byScope.TryGetValue(scope, out var current) &&
                (!current.IsCompleted || (current.IsCompletedSuccessfully && !ReferenceEquals(current.Result, stale))))
            {
                return current;
            }

            if (challenge is not null)
            {
                connection.Learn(challenge);
            }

            var fresh = FetchAsync(scope, at, cancellationToken);
            byScope[scope] = fresh;
            return fresh;
        }
    }

    private async Task<AuthenticationHeaderValue?> FetchAsync(string scope, SourcePosition at, CancellationToken cancellationToken)
    {
        var challenge = connection.Challenge;
        if (challenge is null)
        {
            return null;
        }

        var lookup = await connection.CredentialsAsync(at, cancellationToken).ConfigureAwait(false);
        var credential = lookup.Credential;
        if (challenge.IsBasic)
        {
            return credential is { HasPassword: true } ? Basic(credential) : null;
        }

        return await TokenAsync(challenge, scope, credential, lookup, at, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AuthenticationHeaderValue?> TokenAsync(AuthChallenge challenge, string scope, RegistryCredential? credential, CredentialLookup lookup, SourcePosition at, CancellationToken cancellationToken)
    {
        var endpoint = connection.Endpoint;
        if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || (realm.Scheme != Uri.UriSchemeHttps && realm.Scheme != Uri.UriSchemeHttp))
        {
            throw new LayerBuildException(DiagnosticCodes.RegistryResponseInvalid, at, $"registry '{endpoint.Name}' names a token realm that is not an http(s) URL: '{challenge.Realm}'");
        }

        using var request = credential?.IdentityToken is { } refresh
            ? RefreshTokenRequest(realm, challenge.Service, scope, refresh)
            : TokenRequest(realm, challenge.Service, scope, credential);
        HttpResponseMessage response;
        try
        {
            response = await connection.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw RegistryFailures.FromTransport(e, RegistryEndpoint.ForDomain(realm.Authority), connection.Trust, at);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await RegistryFailures.FromResponseAsync(response, endpoint, $"a token for {scope}", lookup, at, cancellationToken).ConfigureAwait(false);
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[MaxTokenResponse];
            var length = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            string? token = null;
            try
            {
                var root = JsonNode.Parse(buffer.AsSpan(0, length)) as JsonObject;
                token = (root?["token"] ?? root?["access_token"])?.GetValue<string>();
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                // reported below, without the body: it may hold a token
            }

            return string.IsNullOrEmpty(token)
                ? throw new LayerBuildException(DiagnosticCodes.RegistryResponseInvalid, at, $"the token server of registry '{endpoint.Name}' ({realm.GetLeftPart(UriPartial.Path)}) answered no token")
                : new AuthenticationHeaderValue("Bearer", token);
        }
    }

    private static HttpRequestMessage TokenRequest(Uri realm, string? service, string scope, RegistryCredential? credential)
    {
        var query = new StringBuilder(realm.Query.TrimStart('?'));
        if (service is not null)
        {
            Append(query, "service", service);
        }

        foreach (var one in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            Append(query, "scope", one);
        }

        var uri = new UriBuilder(realm) { Query = query.ToString() }.Uri;
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (credential is { HasPassword: true })
        {
            request.Headers.Authorization = Basic(credential);
        }

        return request;
    }

    private static HttpRequestMessage RefreshTokenRequest(Uri realm, string? service, string scope, string refreshToken)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
            new("client_id", ClientId),
            new("scope", scope),
        };
        if (service is not null)
        {
            fields.Add(new("service", service));
        }

        return new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(fields) };
    }

    private static void Append(StringBuilder query, string key, string value)
    {
        if (query.Length > 0)
        {
            query.Append('&');
        }

        query.Append(key).Append('=').Append(WebUtility.UrlEncode(value));
    }

    private static AuthenticationHeaderValue Basic(RegistryCredential credential) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));
}
