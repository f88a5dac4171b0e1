using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Registry;

/// <summary>
/// Runs docker's credential helper protocol: <c>docker-credential-NAME get</c> with the server URL on
/// standard input, answering <c>{"ServerURL","Username","Secret"}</c> on standard output; a user name of
/// <c>&lt;token&gt;</c> means the secret is an identity token. "Not found" is an answer, not an error.
/// The helper's output is never repeated in a message: it holds the secret.
/// </summary>
internal static class CredentialHelper
{
    private const string Prefix = "docker-credential-";
    private const string TokenUser = "<token>";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<RegistryCredential?> GetAsync(string helper, string serverUrl, SourcePosition at, CancellationToken cancellationToken)
    {
        var program = Prefix + helper;
        var start = new ProcessStartInfo(program, "get")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw Failure(at, $"the credential helper '{program}' (named in docker's config.json) cannot be run: {e.Message}");
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                await process.StandardInput.WriteAsync(serverUrl).ConfigureAwait(false);
                process.StandardInput.Close();
                var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
                var errors = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                var text = await output.ConfigureAwait(false);
                _ = await errors.ConfigureAwait(false);
                if (process.ExitCode != 0)
                {
                    // docker's helpers say "credentials not found in native keychain" for a registry they do not know.
                    if (text.Contains("not found", StringComparison.OrdinalIgnoreCase))
                    {
                        return null;
                    }

                    throw Failure(at, $"the credential helper '{program}' failed (exit code {process.ExitCode})");
                }

                return Parse(text, program, at);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw Failure(at, $"the credential helper '{program}' did not answer within {Timeout.TotalSeconds:0} seconds");
            }
        }
    }

    private static RegistryCredential? Parse(string text, string program, SourcePosition at)
    {
        try
        {
            var node = JsonNode.Parse(text) as JsonObject;
            var user = node?["Username"]?.GetValue<string>();
            var secret = node?["Secret"]?.GetValue<string>();
            if (string.IsNullOrEmpty(secret))
            {
                return null;
            }

            return user == TokenUser
                ? new RegistryCredential(null, null, secret, $"credential helper '{program}'")
                : new RegistryCredential(user, secret, null, $"credential helper '{program}'");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw Failure(at, $"the credential helper '{program}' answered something that is not its JSON");
        }
    }

    private static LayerBuildException Failure(SourcePosition at, string message) =>
        new(DiagnosticCodes.CredentialsUnusable, at, message);
}
