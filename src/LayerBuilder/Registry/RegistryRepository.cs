using LayerBuilder.Image;

namespace LayerBuilder.Registry;

/// <summary>A repository of a registry: the endpoint and the path under <c>/v2/</c>, with Docker Hub's
/// <c>library/</c> added to one-component names (<c>debian</c> is <c>library/debian</c>).</summary>
internal sealed record RegistryRepository(RegistryEndpoint Endpoint, string Path)
{
    /// <summary>The repository <paramref name="reference"/> names.</summary>
    public static RegistryRepository For(ImageReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var slash = reference.Full.IndexOf('/', StringComparison.Ordinal);
        var endpoint = RegistryEndpoint.ForDomain(reference.Full[..slash]);
        var path = reference.Full[(slash + 1)..];
        if (endpoint.IsDockerHub && !path.Contains('/', StringComparison.Ordinal))
        {
            path = "library/" + path;
        }

        return new RegistryRepository(endpoint, path);
    }

    /// <summary>The repository as users write it: <c>docker.io/library/debian</c>, <c>127.0.0.1:5000/team/base</c>.</summary>
    public override string ToString() => $"{Endpoint.Name}/{Path}";
}
