using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace LayerBuilder.Registry;

/// <summary>
/// Decides whether a registry's TLS certificate is trusted: the system store first (what the platform's
/// validation said), else a chain to a CA in docker's or podman's per-registry folder
/// (<c>/etc/docker/certs.d/HOST:PORT/*.crt</c>, then <c>HOST</c> without the port). A host-name mismatch is
/// never forgiven. An <c>--insecure-registry</c> accepts any certificate, as docker does.
/// </summary>
internal sealed class RegistryTrust(RegistryEndpoint endpoint, RegistrySettings settings)
{
    /// <summary>Set when a certificate was rejected: the failure is then a trust problem, not a server
    /// that does not speak TLS, and plain HTTP is never tried.</summary>
    public string? Rejection { get; private set; }

    /// <summary>The folders that would hold this registry's CA, for the hint in a TLS error.</summary>
    public IReadOnlyList<string> CertificateFolders =>
        settings.CertificateFolders.Select(folder => Path.Combine(folder, endpoint.Host)).ToList();

    public bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (settings.IsInsecure(endpoint) || errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            Rejection = errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
                ? "the certificate does not name this host"
                : "the server sent no certificate";
            return false;
        }

        var authorities = ExtraAuthorities();
        if (authorities.Count == 0)
        {
            Rejection = "the certificate is not signed by a trusted authority";
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(authorities.ToArray());
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var trusted = custom.Build(certificate as X509Certificate2 ?? new X509Certificate2(certificate));
        Rejection = trusted ? null : "the certificate is not signed by a trusted authority, nor by the CA in the registry's certs.d folder";
        return trusted;
    }

    private X509Certificate2Collection ExtraAuthorities()
    {
        var result = new X509Certificate2Collection();
        var names = endpoint.Port is null ? [endpoint.Host] : new[] { endpoint.Host, endpoint.HostName };
        foreach (var folder in settings.CertificateFolders)
        {
            foreach (var name in names)
            {
                var path = Path.Combine(folder, name);
                if (!Directory.Exists(path))
                {
                    continue;
                }

                foreach (var file in Directory.EnumerateFiles(path, "*.crt"))
                {
                    try
                    {
                        result.ImportFromPemFile(file);
                    }
                    catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
                    {
                        // An unreadable CA file trusts nothing; the TLS error's hint names the folder.
                    }
                }
            }
        }

        return result;
    }
}
