using System.Net.Sockets;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Engine;

/// <summary>
/// An HTTP client of the docker engine API over its unix socket: every request connects to the socket
/// (SocketsHttpHandler's ConnectCallback), so no TCP port and no docker CLI are involved.
/// </summary>
internal sealed class EngineConnection : IDisposable
{
    /// <summary>The engine ignores the host of a request on its socket; this one only makes the URIs whole.</summary>
    private static readonly Uri BaseAddress = new("http://docker.engine/");

    /// <summary>How long a connect to the socket may take: a local socket answers at once or not at all.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient http;

    public EngineConnection(DockerHost host)
    {
        Host = host;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = ConnectTimeout,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(host.SocketPath), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };

        // A load of a large image takes as long as the engine needs to unpack it; cancellation ends it.
        http = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    public DockerHost Host { get; }

    /// <summary>Sends <paramref name="request"/>; a socket that is missing or refuses is LB5031.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException socket)
        {
            throw Unreachable(socket);
        }
    }

    /// <summary>Asks the engine whether it answers (<c>GET /_ping</c>), so a build fails before its work
    /// when the engine is not there.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "_ping");
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new LayerBuildException(DiagnosticCodes.EngineUnreachable, EngineMessages.Position,
                $"the docker engine at {Host} answers its ping with {(int)response.StatusCode} {response.ReasonPhrase}");
        }
    }

    /// <summary>The engine's os and architecture (<c>GET /version</c>: <c>Os</c>, <c>Arch</c>, in Go's
    /// names, which are the image-spec's): which platform of an index it runs.</summary>
    public async Task<(string Os, string Architecture)> PlatformAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "version");
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(text);
            if (response.IsSuccessStatusCode &&
                json.RootElement.TryGetProperty("Os", out var os) && os.ValueKind == System.Text.Json.JsonValueKind.String &&
                json.RootElement.TryGetProperty("Arch", out var arch) && arch.ValueKind == System.Text.Json.JsonValueKind.String)
            {
                return (os.GetString()!, arch.GetString()!);
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // reported below
        }

        throw new LayerBuildException(DiagnosticCodes.EngineUnreachable, EngineMessages.Position,
            $"the docker engine at {Host} does not say its platform: GET /version answered {(int)response.StatusCode} {response.ReasonPhrase}");
    }

    public void Dispose() => http.Dispose();

    private LayerBuildException Unreachable(SocketException e)
    {
        // The socket's own error text says little ("Cannot assign requested address" for a missing file).
        var reason = e.SocketErrorCode switch
        {
            _ when !File.Exists(Host.SocketPath) => $"there is no socket at {Host.SocketPath}: is the docker engine running? (DOCKER_HOST names its socket)",
            SocketError.AccessDenied => "permission denied on the socket: add this user to the docker group, or run as root",
            SocketError.ConnectionRefused => "nothing listens on the socket: start the docker engine",
            _ => $"{e.Message}: is the docker engine running?",
        };
        return new LayerBuildException(DiagnosticCodes.EngineUnreachable, EngineMessages.Position,
            $"cannot reach the docker engine at {Host}: {reason}");
    }
}
