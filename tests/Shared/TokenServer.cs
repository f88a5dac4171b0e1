using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace LayerBuilder.Testing;

/// <summary>
/// A token server for distribution's token authentication (<c>auth: token:</c> of docker-registry 2.8), on
/// 127.0.0.1 and a free port: <c>GET /token?service=&amp;scope=</c> with Basic credentials answers a JWT
/// signed RS256 whose <c>x5c</c> header carries a signing certificate issued by a CA made with
/// <c>openssl</c> (<see cref="RootCertBundle"/>, which the registry trusts). The claims are the ones the
/// registry checks: <c>iss</c>, <c>sub</c>, <c>aud</c> (the service), <c>exp</c>, <c>nbf</c>, <c>iat</c>,
/// <c>jti</c> and <c>access</c> (one entry per scope asked for, with the actions asked for). Every request
/// is recorded so a test can count tokens per scope and see which credentials came.
/// </summary>
public sealed class TokenServer : IDisposable
{
    public const string Service = "layerbuilder-test-registry";
    public const string Issuer = "layerbuilder-test-token-issuer";
    public const string User = RegistryServer.User;

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<TokenRequest> requests = new();
    private readonly ConcurrentDictionary<string, int> denyFirst = new();
    private readonly string folder;
    private readonly RSA signingKey;
    private readonly string signingCertificate;
    private readonly Task loop;

    private TokenServer(string folder, RSA signingKey, string signingCertificate)
    {
        this.folder = folder;
        this.signingKey = signingKey;
        this.signingCertificate = signingCertificate;
        Password = "pw-" + Guid.NewGuid().ToString("N");
        Port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(() => HttpListenerLoop.ServeAsync(listener, context => { Answer(context); return Task.CompletedTask; }));
    }

    public int Port { get; }

    /// <summary>The password of <see cref="User"/>: the only credentials that get a token.</summary>
    public string Password { get; }

    /// <summary>What the registry's <c>auth.token.realm</c> names.</summary>
    public string Realm => $"http://127.0.0.1:{Port}/token";

    /// <summary>The CA certificate the registry's <c>auth.token.rootcertbundle</c> names.</summary>
    public string RootCertBundle => Path.Combine(folder, "ca.crt");

    /// <summary>Every token request so far.</summary>
    public IReadOnlyList<TokenRequest> Requests => requests.ToArray();

    /// <summary>Makes the CA and the signing certificate with openssl, then listens.</summary>
    public static async Task<TokenServer> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("lb-token-").FullName;
        string In(string name) => Path.Combine(folder, name);
        await ProcessRunner.RunCheckedAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", In("ca.key"), "-out", In("ca.crt"),
            "-days", "2", "-subj", "/CN=LayerBuilder test token CA"]);
        await ProcessRunner.RunCheckedAsync("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", In("signer.key"), "-out", In("signer.csr"),
            "-subj", "/CN=LayerBuilder test token signer"]);
        await File.WriteAllTextAsync(In("signer.ext"), "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n");
        await ProcessRunner.RunCheckedAsync("openssl", ["x509", "-req", "-in", In("signer.csr"), "-CA", In("ca.crt"), "-CAkey", In("ca.key"),
            "-CAcreateserial", "-out", In("signer.crt"), "-days", "2", "-extfile", In("signer.ext")]);
        var key = RSA.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(In("signer.key")));
        using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(In("signer.crt")));
        return new TokenServer(folder, key, Convert.ToBase64String(certificate.RawData));
    }

    /// <summary>The first token asked for <paramref name="scope"/> (<c>repository:team/app:pull,push</c>) grants
    /// no action, so the registry answers 401 to it and the client must ask again.</summary>
    public void DenyFirst(string scope) => denyFirst[scope] = 1;

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the loop ends with the listener
        }

        signingKey.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private void Answer(HttpListenerContext context)
    {
        try
        {
            var query = context.Request.QueryString;
            var scopes = query.GetValues("scope")?.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList() ?? [];
            var authorization = context.Request.Headers["Authorization"];
            var user = BasicUser(authorization);
            var valid = user == User;
            var denied = scopes.Where(s => denyFirst.TryRemove(s, out _)).ToList();
            requests.Enqueue(new TokenRequest(query["service"], scopes, authorization?.Split(' ')[0], valid, denied.Count > 0));
            if (!valid)
            {
                context.Response.StatusCode = 401;
                context.Response.Close();
                return;
            }

            var token = Sign(user!, scopes.Where(s => !denied.Contains(s)).ToList());
            var body = Encoding.UTF8.GetBytes(new JsonObject
            {
                ["token"] = token,
                ["access_token"] = token,
                ["expires_in"] = (int)Lifetime.TotalSeconds,
                ["issued_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            }.ToJsonString());
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = body.Length;
            context.Response.OutputStream.Write(body);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            context.Response.Abort();
        }
    }

    /// <summary>The user of a Basic header whose password is <see cref="Password"/>, or null.</summary>
    private string? BasicUser(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return null;
        }

        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..]));
        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && pair[(colon + 1)..] == Password ? pair[..colon] : null;
    }

    /// <summary>A JWT as distribution's registry/auth/token reads one: header with alg and x5c, claims with
    /// the access entries; the signature is RSASSA-PKCS1-v1_5 with SHA-256 over <c>header.claims</c>.</summary>
    private string Sign(string user, IReadOnlyList<string> scopes)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["x5c"] = new JsonArray(signingCertificate) };
        var access = new JsonArray();
        foreach (var scope in scopes)
        {
            // repository:NAME:ACTIONS, where NAME may hold a port-less path (team/app)
            var parts = scope.Split(':');
            if (parts.Length == 3)
            {
                access.Add(new JsonObject
                {
                    ["type"] = parts[0],
                    ["name"] = parts[1],
                    ["actions"] = new JsonArray(parts[2].Split(',').Select(a => (JsonNode)a).ToArray()),
                });
            }
        }

        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = user,
            ["aud"] = Service,
            ["exp"] = now + (long)Lifetime.TotalSeconds,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var signed = $"{Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()))}";
        var signature = signingKey.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>One token request: the service and scopes asked for, the Authorization scheme it came with
    /// (null: none), whether the credentials were right, and whether a scope of it was denied on purpose.</summary>
    public sealed record TokenRequest(string? Service, IReadOnlyList<string> Scopes, string? Scheme, bool ValidCredentials, bool Denied);
}
