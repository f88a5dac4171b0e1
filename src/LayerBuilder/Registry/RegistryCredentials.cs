using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Registry;

/// <summary>
/// Finds the credentials of a registry exactly where docker and podman keep them (<see cref="CredentialFiles"/>):
/// in docker's config.json, <c>credHelpers[host]</c>, else <c>credsStore</c>, else <c>auths[host]</c>
/// (<c>auth</c> = base64 of <c>user:password</c>, or <c>identitytoken</c>); in podman's auth.json, <c>auths</c>.
/// The first file that has the registry wins. No credential is anonymous access.
/// </summary>
internal sealed class RegistryCredentials(CredentialFiles files)
{
    public async Task<CredentialLookup> FindAsync(RegistryEndpoint endpoint, SourcePosition at, CancellationToken cancellationToken)
    {
        var looked = new List<string>();
        foreach (var path in files.Paths())
        {
            if (!File.Exists(path))
            {
                looked.Add($"{path} (absent)");
                continue;
            }

            looked.Add(path);
            var root = Read(path, at);
            var isDocker = path.EndsWith("config.json", StringComparison.Ordinal);
            if (isDocker && root["credHelpers"] is JsonObject helpers &&
                helpers.FirstOrDefault(h => endpoint.MatchesCredentialKey(h.Key)) is { Value: JsonValue helperName })
            {
                var name = helperName.GetValue<string>();
                looked[^1] = $"{path} (credHelpers: docker-credential-{name})";
                if (await CredentialHelper.GetAsync(name, endpoint.CredentialKeys[0], at, cancellationToken).ConfigureAwait(false) is { } fromHelper)
                {
                    return new CredentialLookup(fromHelper, looked);
                }

                continue;
            }

            if (isDocker && root["credsStore"] is JsonValue store && store.GetValue<string>() is { Length: > 0 } storeName)
            {
                looked[^1] = $"{path} (credsStore: docker-credential-{storeName})";
                if (await CredentialHelper.GetAsync(storeName, endpoint.CredentialKeys[0], at, cancellationToken).ConfigureAwait(false) is { } fromStore)
                {
                    return new CredentialLookup(fromStore, looked);
                }
            }

            if (FromAuths(root, endpoint, path, at) is { } found)
            {
                return new CredentialLookup(found, looked);
            }
        }

        return new CredentialLookup(null, looked);
    }

    private static RegistryCredential? FromAuths(JsonObject root, RegistryEndpoint endpoint, string path, SourcePosition at)
    {
        if (root["auths"] is not JsonObject auths)
        {
            return null;
        }

        // An exact key first (podman also allows host/namespace keys; the host alone is what both write on login).
        var entry = endpoint.CredentialKeys.Select(k => auths[k]).OfType<JsonObject>().FirstOrDefault()
            ?? auths.Where(a => endpoint.MatchesCredentialKey(a.Key)).Select(a => a.Value).OfType<JsonObject>().FirstOrDefault();
        if (entry is null)
        {
            return null;
        }

        var identity = Text(entry, "identitytoken");
        if (!string.IsNullOrEmpty(identity))
        {
            return new RegistryCredential(null, null, identity, path);
        }

        var auth = Text(entry, "auth");
        if (string.IsNullOrEmpty(auth))
        {
            var user = Text(entry, "username");
            var password = Text(entry, "password");
            return string.IsNullOrEmpty(user) || password is null ? null : new RegistryCredential(user, password, null, path);
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
        }
        catch (FormatException)
        {
            throw new LayerBuildException(DiagnosticCodes.CredentialsUnusable, at,
                $"the 'auth' of '{endpoint.Name}' in {path} is not base64 of user:password");
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new LayerBuildException(DiagnosticCodes.CredentialsUnusable, at,
                $"the 'auth' of '{endpoint.Name}' in {path} is not base64 of user:password");
        }

        return new RegistryCredential(decoded[..colon], decoded[(colon + 1)..], null, path);
    }

    private static string? Text(JsonObject entry, string key) =>
        entry[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static JsonObject Read(string path, SourcePosition at)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject
                ?? throw new LayerBuildException(DiagnosticCodes.CredentialsUnusable, at, $"the credential file {path} is not a JSON object");
        }
        catch (JsonException e)
        {
            // Only the line: the parser's message may quote the content, which can be a secret.
            throw new LayerBuildException(DiagnosticCodes.CredentialsUnusable, at, $"the credential file {path} is not valid JSON (line {(e.LineNumber ?? 0) + 1})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LayerBuildException(DiagnosticCodes.CredentialsUnusable, at, $"the credential file {path} cannot be read: {e.Message}");
        }
    }
}
