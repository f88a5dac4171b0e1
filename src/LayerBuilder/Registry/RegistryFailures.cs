using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Registry;

/// <summary>
/// Turns what went wrong talking to a registry into one line with an LB5xxx code that names the registry
/// and what it said (docs/diagnostics.md). Never echoes a request's headers: they carry credentials.
/// </summary>
internal static class RegistryFailures
{
    /// <summary>How much of an error body is read for its message.</summary>
    private const int MaxErrorBody = 64 * 1024;

    /// <summary>The transport failed: unknown host, refused, timed out, TLS, or a connection dropped.</summary>
    public static LayerBuildException FromTransport(Exception e, RegistryEndpoint endpoint, RegistryTrust? trust, SourcePosition at)
    {
        var name = endpoint.Name;
        if (e is HttpRequestException http)
        {
            var socket = FindInner<SocketException>(e);
            switch (http.HttpRequestError)
            {
                case HttpRequestError.NameResolutionError:
                    return new(DiagnosticCodes.RegistryHostUnknown, at, $"registry '{name}': the host '{endpoint.HostName}' is not known (DNS: {socket?.Message ?? http.Message})");
                case HttpRequestError.SecureConnectionError:
                    return Tls(endpoint, trust, at);
                case HttpRequestError.ConnectionError when socket is { SocketErrorCode: SocketError.ConnectionRefused }:
                    return new(DiagnosticCodes.RegistryUnreachable, at, $"registry '{name}': connection refused at {endpoint.Host}; is the registry running?");
                case HttpRequestError.ConnectionError:
                    return new(DiagnosticCodes.RegistryUnreachable, at, $"registry '{name}' cannot be reached at {endpoint.Host}: {socket?.Message ?? http.Message}");
                case HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse:
                    return new(DiagnosticCodes.RegistryConnectionLost, at, $"registry '{name}' closed the connection or answered something that is not HTTP ({http.Message})");
            }

            return new(DiagnosticCodes.RegistryConnectionLost, at, $"registry '{name}': {http.Message}");
        }

        if (e is TaskCanceledException or TimeoutException)
        {
            return new(DiagnosticCodes.RegistryUnreachable, at, $"registry '{name}' did not answer at {endpoint.Host} in time");
        }

        return new(DiagnosticCodes.RegistryConnectionLost, at, $"registry '{name}': the connection failed while data moved ({e.Message})");
    }

    /// <summary>A TLS failure, with where docker and podman look for the registry's CA.</summary>
    public static LayerBuildException Tls(RegistryEndpoint endpoint, RegistryTrust? trust, SourcePosition at)
    {
        var why = trust?.Rejection ?? "the TLS handshake failed";
        var folders = trust is null ? "" : string.Join(" or ", trust.CertificateFolders.Select(f => Path.Combine(f, "ca.crt")));
        var hint = folders.Length == 0 ? "" : $"; put the registry's CA certificate in {folders}, or add it to the system store";
        return new(DiagnosticCodes.RegistryTlsFailed, at, $"registry '{endpoint.Name}': TLS connection to {endpoint.Host} failed: {why}{hint}");
    }

    /// <summary>An error status: 401 says where credentials were looked for, 404 which image or blob was
    /// asked for, everything else the registry's own error code and message.</summary>
    public static async Task<LayerBuildException> FromResponseAsync(HttpResponseMessage response, RegistryEndpoint endpoint, string what, CredentialLookup? credentials, SourcePosition at, CancellationToken cancellationToken)
    {
        var said = await ErrorTextAsync(response, cancellationToken).ConfigureAwait(false);
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
        var suffix = said.Length == 0 ? "" : $": {said}";
        var name = endpoint.Name;
        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized:
                var where = credentials is null ? "" : credentials.Credential is { } c
                    ? $"; used {c}"
                    : $"; no credentials for '{name}' were found (looked in: {credentials.Places})";
                return new(DiagnosticCodes.RegistryUnauthorized, at, $"registry '{name}' answered {status} for {what}{suffix}{where}");
            case HttpStatusCode.Forbidden:
                return new(DiagnosticCodes.RegistryDenied, at, $"registry '{name}' answered {status} for {what}{suffix}{(credentials?.Credential is { } used ? $"; used {used}" : "")}");
            case HttpStatusCode.NotFound when what.StartsWith("blob", StringComparison.Ordinal):
                return new(DiagnosticCodes.BlobUnknown, at, $"registry '{name}' does not have {what} ({status}{suffix})");
            case HttpStatusCode.NotFound:
                return new(DiagnosticCodes.ManifestUnknown, at, $"registry '{name}' does not have {what} ({status}{suffix})");
            default:
                return new(DiagnosticCodes.RegistryError, at, $"registry '{name}' answered {status} for {what}{suffix}");
        }
    }

    /// <summary>The distribution error body's first <c>code: message</c>, if there is one.</summary>
    private static async Task<string> ErrorTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[MaxErrorBody];
            var length = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (JsonNode.Parse(buffer.AsSpan(0, length)) is JsonObject root && root["errors"] is JsonArray { Count: > 0 } errors && errors[0] is JsonObject first)
            {
                var code = first["code"]?.ToString();
                var message = first["message"]?.ToString();
                return string.Join(" ", new[] { code, message }.Where(s => !string.IsNullOrEmpty(s)));
            }
        }
        catch (Exception e) when (e is JsonException or IOException or HttpRequestException or InvalidOperationException)
        {
            // A body that is not the error JSON: the status alone says it.
        }

        return "";
    }

    private static T? FindInner<T>(Exception e)
        where T : Exception
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is T found)
            {
                return found;
            }
        }

        return null;
    }
}
