using System.Net;

namespace LayerBuilder.Registry;

/// <summary>
/// One registry as the distribution protocol reaches it: the host (and port) requests go to, and the name
/// users know it by. Docker Hub is written <c>docker.io</c> (or <c>index.docker.io</c>) in references but
/// served by <c>registry-1.docker.io</c>; its credentials are stored under <c>https://index.docker.io/v1/</c>.
/// </summary>
internal sealed record RegistryEndpoint
{
    /// <summary>The domain a reference without one means.</summary>
    public const string DockerHubDomain = "docker.io";

    /// <summary>Where Docker Hub's distribution API answers.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    /// <summary>The key Docker Hub's credentials have in docker's config.json.</summary>
    public const string DockerHubCredentialKey = "https://index.docker.io/v1/";

    private static readonly string[] DockerHubAliases = [DockerHubDomain, "index.docker.io", DockerHubApiHost];

    private RegistryEndpoint(string host, string name)
    {
        Host = host;
        Name = name;
    }

    /// <summary>host[:port] the requests go to, e.g. <c>registry-1.docker.io</c>, <c>127.0.0.1:5000</c>.</summary>
    public string Host { get; }

    /// <summary>The registry as users write it (<c>docker.io</c> for Docker Hub): what messages name.</summary>
    public string Name { get; }

    public bool IsDockerHub => Host == DockerHubApiHost;

    /// <summary>The host without the port.</summary>
    public string HostName => SplitPort(Host).Name;

    /// <summary>The port, when the host names one.</summary>
    public int? Port => SplitPort(Host).Port;

    /// <summary>A loopback registry (<c>localhost</c>, 127.0.0.0/8, ::1): docker lets it speak plain HTTP
    /// when it does not speak TLS, and so does LayerBuilder (docs/security.md).</summary>
    public bool IsLoopback =>
        HostName.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(HostName.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>The names credentials for this registry may be stored under, most specific first.</summary>
    public IReadOnlyList<string> CredentialKeys => IsDockerHub
        ? [DockerHubCredentialKey, DockerHubDomain, "index.docker.io", DockerHubApiHost]
        : [Host];

    /// <summary>The endpoint of a reference's domain (<c>docker.io</c>, <c>index.docker.io</c> and
    /// <c>registry-1.docker.io</c> are Docker Hub).</summary>
    public static RegistryEndpoint ForDomain(string domain)
    {
        ArgumentException.ThrowIfNullOrEmpty(domain);
        return DockerHubAliases.Contains(domain.ToLowerInvariant())
            ? new RegistryEndpoint(DockerHubApiHost, DockerHubDomain)
            : new RegistryEndpoint(domain, domain);
    }

    /// <summary>Whether <paramref name="key"/> (a config.json <c>auths</c> key: a host, or a URL such as
    /// <c>https://host:5000/v1/</c>) names this registry.</summary>
    public bool MatchesCredentialKey(string key)
    {
        var host = key;
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        var slash = host.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            host = host[..slash];
        }

        return IsDockerHub
            ? DockerHubAliases.Contains(host.ToLowerInvariant())
            : string.Equals(host, Host, StringComparison.OrdinalIgnoreCase);
    }

    public override string ToString() => Name;

    private static (string Name, int? Port) SplitPort(string host)
    {
        var colon = host.LastIndexOf(':');
        var bracket = host.LastIndexOf(']');
        return colon > bracket && int.TryParse(host.AsSpan(colon + 1), out var port) ? (host[..colon], port) : (host, null);
    }
}
