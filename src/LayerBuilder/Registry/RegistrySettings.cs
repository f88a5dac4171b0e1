namespace LayerBuilder.Registry;

/// <summary>How registries are reached in one build: which hosts may speak plain HTTP, where extra CA
/// certificates and credentials are found, how long a connection may take to open.</summary>
internal sealed record RegistrySettings
{
    /// <summary>The per-registry certificate folders docker and podman read (<c>HOST:PORT/ca.crt</c>).</summary>
    public static readonly IReadOnlyList<string> StandardCertificateFolders = ["/etc/docker/certs.d", "/etc/containers/certs.d"];

    /// <summary>A refused or unanswered connection is an error within seconds, not minutes.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Hosts (<c>host</c> or <c>host:port</c>) named by <c>--insecure-registry</c>: TLS not verified,
    /// plain HTTP allowed, as docker's <c>insecure-registries</c>.</summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; init; } = [];

    public IReadOnlyList<string> CertificateFolders { get; init; } = StandardCertificateFolders;

    public CredentialFiles Credentials { get; init; } = CredentialFiles.FromProcess;

    public TimeSpan ConnectTimeout { get; init; } = DefaultConnectTimeout;

    /// <summary>Whether <paramref name="endpoint"/> was named insecure (by host:port, or by host alone).</summary>
    public bool IsInsecure(RegistryEndpoint endpoint) => InsecureRegistries.Any(name =>
        string.Equals(name, endpoint.Host, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(name, endpoint.HostName, StringComparison.OrdinalIgnoreCase) ||
        (endpoint.IsDockerHub && string.Equals(name, endpoint.Name, StringComparison.OrdinalIgnoreCase)));
}
