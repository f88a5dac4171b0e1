using System.Collections.Concurrent;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Registry;

/// <summary>
/// The registries one build talks to: one <see cref="RegistryConnection"/> per host (its HTTP client,
/// scheme, credentials and tokens), shared by every client of that host. Dispose it when the build ends.
/// </summary>
internal sealed class RegistrySession(RegistrySettings settings) : IDisposable
{
    private readonly ConcurrentDictionary<string, RegistryConnection> connections = new(StringComparer.OrdinalIgnoreCase);

    public RegistrySettings Settings { get; } = settings;

    /// <summary>A client for <paramref name="repository"/> with the token scope <paramref name="access"/>;
    /// <paramref name="alsoPull"/> adds pull access to other repositories of the same registry to that scope
    /// (what a cross-repository blob mount needs). Errors name <paramref name="at"/>.</summary>
    public RegistryClient Client(RegistryRepository repository, RegistryAccess access, SourcePosition at, IReadOnlyList<RegistryRepository>? alsoPull = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var connection = connections.GetOrAdd(repository.Endpoint.Host, _ => new RegistryConnection(repository.Endpoint, Settings));
        return new RegistryClient(connection, repository, access, at, alsoPull ?? []);
    }

    public void Dispose()
    {
        foreach (var connection in connections.Values)
        {
            connection.Dispose();
        }
    }
}
