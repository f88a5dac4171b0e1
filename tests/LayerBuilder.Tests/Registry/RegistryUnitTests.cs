using System.Text;
using System.Text.Json.Nodes;
using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Registry;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Registry;

/// <summary>References read as <c>FROM</c> reads them, challenges as registries write them, and credentials
/// found where docker and podman keep them (files and a real credential helper program).</summary>
[NonParallelizable]
public sealed class RegistryUnitTests
{
    private static readonly SourcePosition At = SourcePosition.InCode("base");

    [TestCase("debian:12", "registry-1.docker.io", "library/debian", "12")]
    [TestCase("debian", "registry-1.docker.io", "library/debian", "latest")]
    [TestCase("docker.io/debian:12", "registry-1.docker.io", "library/debian", "12")]
    [TestCase("index.docker.io/debian:12", "registry-1.docker.io", "library/debian", "12")]
    [TestCase("team/app:1", "registry-1.docker.io", "team/app", "1")]
    [TestCase("127.0.0.1:5000/team/base:1", "127.0.0.1:5000", "team/base", "1")]
    [TestCase("localhost/base", "localhost", "base", "latest")]
    [TestCase("registry.example/a/b/c:v1.2-rc_3", "registry.example", "a/b/c", "v1.2-rc_3")]
    public void A_reference_names_the_registry_host_repository_and_tag_FROM_would(string text, string host, string path, string tag)
    {
        Assert.That(RemoteReference.TryParse(text, out var reference, out var problem), Is.True, problem);
        Assert.That(reference!.Repository.Endpoint.Host, Is.EqualTo(host));
        Assert.That(reference.Repository.Path, Is.EqualTo(path));
        Assert.That(reference.ManifestReference, Is.EqualTo(tag));
    }

    [Test]
    public void A_digest_wins_over_a_tag()
    {
        var digest = "sha256:" + new string('a', 64);
        Assert.That(RemoteReference.TryParse($"registry.example/base:1@{digest}", out var reference, out _), Is.True);
        Assert.That(reference!.ManifestReference, Is.EqualTo(digest));
        Assert.That(reference.Tag, Is.EqualTo("1"));
        Assert.That(reference.ToString(), Is.EqualTo($"registry.example/base:1@{digest}"));
    }

    [TestCase("Debian:12", "lowercase")]
    [TestCase("debian:-1", "tag '-1'")]
    [TestCase("debian@sha256:abc", "is not a digest")]
    [TestCase("debian@md5:0123", "is not a digest")]
    [TestCase("", "empty")]
    public void A_bad_reference_says_why(string text, string words)
    {
        Assert.That(RemoteReference.TryParse(text, out _, out var problem), Is.False);
        Assert.That(problem, Does.Contain(words));
    }

    [Test]
    public void A_bearer_challenge_keeps_a_scope_with_commas_and_the_docker_hub_realm()
    {
        var challenge = AuthChallenge.Parse("Bearer", "realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/debian:pull,push\"");

        Assert.That(challenge.IsBearer, Is.True);
        Assert.That(challenge.Realm, Is.EqualTo("https://auth.docker.io/token"));
        Assert.That(challenge.Service, Is.EqualTo("registry.docker.io"));
        Assert.That(challenge.Parameters["scope"], Is.EqualTo("repository:library/debian:pull,push"));
        Assert.That(AuthChallenge.Parse("Basic", "realm=\"basic-realm\"").IsBasic, Is.True);
    }

    [Test]
    public async Task Docker_hub_credentials_are_found_under_docker_s_v1_key_and_an_identity_token_is_kept_as_one()
    {
        using var folder = new TempDirectory();
        WriteConfig(folder, "docker/config.json", new JsonObject
        {
            ["auths"] = new JsonObject
            {
                ["https://index.docker.io/v1/"] = new JsonObject { ["auth"] = Basic("hubuser", "hub-secret") },
                ["registry.example:5000"] = new JsonObject { ["identitytoken"] = "refresh-secret" },
            },
        });
        var credentials = new RegistryCredentials(new CredentialFiles(Env(("DOCKER_CONFIG", folder.Combine("docker")))));

        var hub = await credentials.FindAsync(RegistryRepository.For(ImageReference.Parse("debian")).Endpoint, At, CancellationToken.None);
        var other = await credentials.FindAsync(RegistryEndpoint.ForDomain("registry.example:5000"), At, CancellationToken.None);

        Assert.That(hub.Credential!.Username, Is.EqualTo("hubuser"));
        Assert.That(hub.Credential.Password, Is.EqualTo("hub-secret"));
        Assert.That(hub.Credential.ToString(), Does.Not.Contain("hub-secret").And.Contain("hubuser"));
        Assert.That(other.Credential!.IdentityToken, Is.EqualTo("refresh-secret"));
        Assert.That(other.Credential.ToString(), Does.Not.Contain("refresh-secret"));
    }

    [Test]
    public async Task Podman_s_auth_file_is_read_when_docker_s_config_lacks_the_registry_and_absent_files_are_listed()
    {
        using var folder = new TempDirectory();
        WriteConfig(folder, "docker/config.json", new JsonObject { ["auths"] = new JsonObject { ["elsewhere.example"] = new JsonObject { ["auth"] = Basic("x", "y") } } });
        var authFile = WriteConfig(folder, "podman/auth.json", new JsonObject { ["auths"] = new JsonObject { ["registry.example"] = new JsonObject { ["auth"] = Basic("pod", "pod-secret") } } });
        var runtime = folder.Combine("run");
        var files = new CredentialFiles(Env(("DOCKER_CONFIG", folder.Combine("docker")), ("REGISTRY_AUTH_FILE", authFile), ("XDG_RUNTIME_DIR", runtime)));

        var found = await new RegistryCredentials(files).FindAsync(RegistryEndpoint.ForDomain("registry.example"), At, CancellationToken.None);
        var missing = await new RegistryCredentials(files).FindAsync(RegistryEndpoint.ForDomain("nobody.example"), At, CancellationToken.None);

        Assert.That(found.Credential!.Username, Is.EqualTo("pod"));
        Assert.That(found.Credential.FoundIn, Is.EqualTo(authFile));
        Assert.That(missing.Credential, Is.Null);
        Assert.That(missing.Places, Does.Contain(Path.Combine(runtime, "containers", "auth.json") + " (absent)").And.Contain(authFile));
    }

    [Test]
    public async Task A_credential_helper_named_in_credHelpers_is_run_with_the_server_on_its_input()
    {
        using var folder = new TempDirectory();
        var bin = folder.CreateFolder("bin");
        var helper = Path.Combine(bin, "docker-credential-lbtest");
        // Answers only for registry.example, as docker's helpers do; says "not found" for anything else.
        await File.WriteAllTextAsync(helper, "#!/bin/sh\nread server\nif [ \"$1\" = get ] && [ \"$server\" = registry.example ]; then\n" +
            "  printf '{\"ServerURL\":\"%s\",\"Username\":\"helped\",\"Secret\":\"helper-secret\"}' \"$server\"\nelse\n  echo 'credentials not found in native keychain'; exit 1\nfi\n");
        File.SetUnixFileMode(helper, (UnixFileMode)0b111_101_101);
        WriteConfig(folder, "docker/config.json", new JsonObject { ["credHelpers"] = new JsonObject { ["registry.example"] = "lbtest" }, ["credsStore"] = "lbtest" });
        var files = new CredentialFiles(Env(("DOCKER_CONFIG", folder.Combine("docker"))));
        var path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", bin + ":" + path);
        try
        {
            var found = await new RegistryCredentials(files).FindAsync(RegistryEndpoint.ForDomain("registry.example"), At, CancellationToken.None);
            var notFound = await new RegistryCredentials(files).FindAsync(RegistryEndpoint.ForDomain("other.example"), At, CancellationToken.None);

            Assert.That(found.Credential!.Username, Is.EqualTo("helped"));
            Assert.That(found.Credential.Password, Is.EqualTo("helper-secret"));
            Assert.That(found.Credential.FoundIn, Does.Contain("docker-credential-lbtest"));
            Assert.That(notFound.Credential, Is.Null, "credsStore answered 'not found'");
            Assert.That(notFound.Places, Does.Contain("credsStore: docker-credential-lbtest"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }
    }

    [Test]
    public void A_credential_file_that_is_no_JSON_is_named_without_quoting_it()
    {
        using var folder = new TempDirectory();
        folder.WriteFile("docker/config.json", "{ \"auths\": { \"registry.example\": { \"auth\": \"c2VjcmV0LXZhbHVl\" } }, oops");
        var files = new CredentialFiles(Env(("DOCKER_CONFIG", folder.Combine("docker"))));

        var error = Assert.ThrowsAsync<LayerBuildException>(() => new RegistryCredentials(files).FindAsync(RegistryEndpoint.ForDomain("registry.example"), At, CancellationToken.None))!;

        Assert.That(error.Diagnostics[0].Code, Is.EqualTo(DiagnosticCodes.CredentialsUnusable));
        Assert.That(error.Diagnostics[0].Message, Does.Contain("config.json").And.Not.Contain("c2VjcmV0LXZhbHVl"));
    }

    private static string Basic(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private static string WriteConfig(TempDirectory folder, string relative, JsonObject content) => folder.WriteFile(relative, content.ToJsonString());

    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
