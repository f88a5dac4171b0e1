using LayerBuilder.Diagnostics;

namespace LayerBuilder.Engine;

/// <summary>
/// Where the docker engine listens, as <c>DOCKER_HOST</c> names it: a unix socket (<c>unix:///path</c>),
/// by default <c>/var/run/docker.sock</c>. Other transports (<c>tcp://</c>, <c>ssh://</c>) are refused
/// with LB5030: LayerBuilder speaks to the engine only over its local socket.
/// </summary>
public sealed record DockerHost
{
    /// <summary>The socket docker's own client uses when <c>DOCKER_HOST</c> is not set.</summary>
    public const string DefaultSocketPath = "/var/run/docker.sock";

    /// <summary>The environment variable docker's client reads.</summary>
    public const string EnvironmentVariable = "DOCKER_HOST";

    private const string UnixScheme = "unix://";

    private DockerHost(string socketPath) => SocketPath = socketPath;

    /// <summary>The engine's unix socket.</summary>
    public string SocketPath { get; }

    /// <summary>The engine at <c>/var/run/docker.sock</c>.</summary>
    public static DockerHost Default { get; } = new(DefaultSocketPath);

    /// <summary>The engine <c>DOCKER_HOST</c> names, or <see cref="Default"/> when it is not set.</summary>
    public static DockerHost FromEnvironment() => Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>Parses a <c>DOCKER_HOST</c> value: <c>unix:///path</c>; empty or null is <see cref="Default"/>.
    /// Any other form is a <see cref="LayerBuildException"/> with LB5030.</summary>
    public static DockerHost Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Default;
        }

        var position = SourcePosition.StartOf(EnvironmentVariable);
        if (!value.StartsWith(UnixScheme, StringComparison.Ordinal))
        {
            var scheme = value.Contains("://", StringComparison.Ordinal) ? value[..value.IndexOf("://", StringComparison.Ordinal)] : value;
            throw new LayerBuildException(DiagnosticCodes.EngineHostUnsupported, position,
                $"the docker engine '{value}' is not a unix socket: LayerBuilder loads images only through a local socket (unix:///var/run/docker.sock), not over '{scheme}'; unset {EnvironmentVariable} or point it at the engine's socket");
        }

        var path = value[UnixScheme.Length..];
        if (!path.StartsWith('/'))
        {
            throw new LayerBuildException(DiagnosticCodes.EngineHostUnsupported, position,
                $"the docker engine '{value}' does not name an absolute socket path; write unix:///path/to/docker.sock");
        }

        return new DockerHost(path);
    }

    /// <summary>The <c>DOCKER_HOST</c> spelling: <c>unix:///var/run/docker.sock</c>.</summary>
    public override string ToString() => UnixScheme + SocketPath;
}
