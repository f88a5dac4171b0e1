namespace LayerBuilder.Registry;

/// <summary>
/// What a registry login gives: a user name and password, or an identity token (an OAuth2 refresh token,
/// docker's <c>identitytoken</c>). It never prints its secret: <see cref="ToString"/> names only the user
/// and where it was found (docs/security.md).
/// </summary>
internal sealed class RegistryCredential(string? username, string? password, string? identityToken, string foundIn)
{
    public string? Username { get; } = username;

    public string? Password { get; } = password;

    public string? IdentityToken { get; } = identityToken;

    /// <summary>Where it was found, for messages: a file, or a credential helper.</summary>
    public string FoundIn { get; } = foundIn;

    public bool HasPassword => !string.IsNullOrEmpty(Username) && Password is not null;

    public override string ToString() => $"credentials of '{Username ?? "(identity token)"}' from {FoundIn}";
}

/// <summary>The result of a credential search: what was found (or null for anonymous) and every place
/// looked at (absent files marked so), so a 401 can say where credentials were sought.</summary>
internal sealed record CredentialLookup(RegistryCredential? Credential, IReadOnlyList<string> LookedIn)
{
    public string Places => LookedIn.Count == 0 ? "no credential file is configured (HOME, DOCKER_CONFIG, REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR are unset)" : string.Join(", ", LookedIn);
}
