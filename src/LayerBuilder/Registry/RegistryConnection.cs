using System.Net;
using System.Net.Http.Headers;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Registry;

/// <summary>
/// Everything one build knows about one registry: its HTTP client (TLS checked by <see cref="RegistryTrust"/>),
/// whether it speaks HTTPS or plain HTTP, the challenge its <c>/v2/</c> answered, the credentials found for
/// it, and the tokens it issued. The scheme is settled by the first request, as docker does: HTTPS, and
/// plain HTTP only when a loopback or <c>--insecure-registry</c> host does not speak TLS at all.
/// </summary>
internal sealed class RegistryConnection : IDisposable
{
    private readonly HttpClient http;
    private readonly RegistrySettings settings;
    private readonly RegistryCredentials credentials;
    private readonly SemaphoreSlim ready = new(1, 1);
    private readonly SemaphoreSlim credentialGate = new(1, 1);
    private Uri? root;
    private CredentialLookup? lookup;

    public RegistryConnection(RegistryEndpoint endpoint, RegistrySettings settings)
    {
        Endpoint = endpoint;
        this.settings = settings;
        credentials = new RegistryCredentials(settings.Credentials);
        Trust = new RegistryTrust(endpoint, settings);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = settings.ConnectTimeout,
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = true, // blob downloads redirect to storage; the Authorization header is not sent there
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Trust.Validate(certificate, chain, errors);
        http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("layerbuilder", "1"));
        Tokens = new RegistryTokens(this);
    }

    public RegistryEndpoint Endpoint { get; }

    public RegistryTrust Trust { get; }

    internal HttpClient Http => http;

    internal RegistryTokens Tokens { get; }

    /// <summary>What <c>GET /v2/</c> asked for; null when the registry lets anyone in.</summary>
    public AuthChallenge? Challenge { get; private set; }

    /// <summary><c>https://host/v2/</c> or, for a loopback or insecure registry without TLS, <c>http://host/v2/</c>.</summary>
    public async Task<Uri> RootAsync(SourcePosition at, CancellationToken cancellationToken)
    {
        if (root is not null)
        {
            return root;
        }

        await ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            root ??= await PingAsync(at, cancellationToken).ConfigureAwait(false);
            return root;
        }
        finally
        {
            ready.Release();
        }
    }

    /// <summary>The credentials of this registry, looked up once per build.</summary>
    public async Task<CredentialLookup> CredentialsAsync(SourcePosition at, CancellationToken cancellationToken)
    {
        if (lookup is not null)
        {
            return lookup;
        }

        await credentialGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lookup ??= await credentials.FindAsync(Endpoint, at, cancellationToken).ConfigureAwait(false);
            return lookup;
        }
        finally
        {
            credentialGate.Release();
        }
    }

    /// <summary>The lookup if one was made; for messages.</summary>
    public CredentialLookup? KnownCredentials => lookup;

    internal void Learn(AuthChallenge challenge) => Challenge = challenge;

    public void Dispose()
    {
        http.Dispose();
        ready.Dispose();
        credentialGate.Dispose();
    }

    private async Task<Uri> PingAsync(SourcePosition at, CancellationToken cancellationToken)
    {
        var secure = new Uri($"https://{Endpoint.Host}/v2/");
        try
        {
            return await PingAsync(secure, at, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError && Trust.Rejection is null && MayUsePlainHttp)
        {
            // The host does not speak TLS (no certificate was even offered): docker's default for loopback.
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw RegistryFailures.FromTransport(e, Endpoint, Trust, at);
        }

        try
        {
            return await PingAsync(new Uri($"http://{Endpoint.Host}/v2/"), at, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw RegistryFailures.FromTransport(e, Endpoint, Trust, at);
        }
    }

    private bool MayUsePlainHttp => Endpoint.IsLoopback || settings.IsInsecure(Endpoint);

    private async Task<Uri> PingAsync(Uri uri, SourcePosition at, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            Challenge = AuthChallenge.From(response.Headers.WwwAuthenticate);
            return uri;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new LayerBuildException(DiagnosticCodes.RegistryError, at,
                $"registry '{Endpoint.Name}' answered {(int)response.StatusCode} {response.ReasonPhrase} at {uri}: it does not speak the registry API v2");
        }

        return uri;
    }
}
