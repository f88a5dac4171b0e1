namespace LayerBuilder.Registry;

/// <summary>
/// Where credentials are looked for, in docker's then podman's order (docs/security.md):
/// <c>$DOCKER_CONFIG/config.json</c> or <c>~/.docker/config.json</c>, then <c>$REGISTRY_AUTH_FILE</c>,
/// then <c>$XDG_RUNTIME_DIR/containers/auth.json</c>. The environment is read through
/// <paramref name="environment"/> so a test can point every path at its own folder.
/// </summary>
internal sealed class CredentialFiles(Func<string, string?> environment)
{
    public static CredentialFiles FromProcess { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>The files to read, in order; each is read only if it exists.</summary>
    public IReadOnlyList<string> Paths()
    {
        var paths = new List<string>();
        var dockerConfig = environment("DOCKER_CONFIG");
        if (!string.IsNullOrEmpty(dockerConfig))
        {
            paths.Add(Path.Combine(dockerConfig, "config.json"));
        }
        else if (Home() is { } home)
        {
            paths.Add(Path.Combine(home, ".docker", "config.json"));
        }

        if (environment("REGISTRY_AUTH_FILE") is { Length: > 0 } authFile)
        {
            paths.Add(authFile);
        }

        if (environment("XDG_RUNTIME_DIR") is { Length: > 0 } runtime)
        {
            paths.Add(Path.Combine(runtime, "containers", "auth.json"));
        }

        return paths;
    }

    /// <summary>The environment a credential helper runs with.</summary>
    public string? Variable(string name) => environment(name);

    private string? Home()
    {
        var home = environment("HOME");
        return string.IsNullOrEmpty(home) ? null : home;
    }
}
