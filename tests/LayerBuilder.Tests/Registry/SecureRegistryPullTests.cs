using System.Text;
using System.Text.Json.Nodes;
using LayerBuilder.Cache;
using LayerBuilder.Diagnostics;
using LayerBuilder.Testing;
using LayerBuilder.Tests.Support;

namespace LayerBuilder.Tests.Registry;

/// <summary>
/// A registry with TLS (a CA made for the test) and htpasswd Basic auth: credentials found where docker
/// and podman keep them, the CA trusted through a certs.d folder or the system store, and the failures
/// (wrong password, no credentials, an untrusted certificate) each one clear line that never shows a secret.
/// </summary>
[NonParallelizable]
public sealed class SecureRegistryPullTests
{
    private RegistryServer registry = null!;
    private TempDirectory images = null!;

    private string Reference => $"{registry.Host}/team/base:1";

    [OneTimeSetUp]
    public async Task StartRegistryAsync()
    {
        registry = await RegistryServer.StartSecureAsync();
        images = new TempDirectory();
        await RegistryImages.PushBaseAsync(registry, images.Path, "team/base:1");
    }

    [OneTimeTearDown]
    public async Task StopRegistryAsync()
    {
        if (registry is not null)
        {
            await registry.DisposeAsync();
        }

        images?.Dispose();
    }

    [Test]
    public async Task Credentials_from_docker_config_and_the_CA_in_certs_d_pull_the_base()
    {
        using var folder = new TempDirectory();
        var settings = RegistryPullTests.Isolated(folder, DockerConfig(folder, registry.Password!), [registry.CertsD]);

        var result = await RegistryPullTests.BuildAsync(folder, Reference, new LayerCache(folder.Combine("cache")), settings: settings);

        Assert.That(result.Layers, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Credentials_from_the_podman_auth_file_are_used_when_docker_has_none()
    {
        using var folder = new TempDirectory();
        var authFile = folder.WriteFile("auth.json", AuthJson(registry.Password!));
        var settings = RegistryPullTests.Isolated(folder, new Dictionary<string, string> { ["REGISTRY_AUTH_FILE"] = authFile }, [registry.CertsD]);

        var result = await RegistryPullTests.BuildAsync(folder, Reference, null, settings: settings);

        Assert.That(result.Layers, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_wrong_password_is_a_401_naming_the_file_it_came_from_and_nothing_is_cached()
    {
        using var folder = new TempDirectory();
        var environment = DockerConfig(folder, "not-the-password");
        var cache = new LayerCache(folder.Combine("cache"));

        var error = await RegistryPullTests.FailAsync(folder, Reference, cache, settings: RegistryPullTests.Isolated(folder, environment, [registry.CertsD]));

        Assert.That(error.Code, Is.EqualTo(DiagnosticCodes.RegistryUnauthorized));
        Assert.That(error.Message, Does.Contain(registry.Host).And.Contain("401").And.Contain(Path.Combine(environment["DOCKER_CONFIG"], "config.json")));
        Assert.That(error.Message, Does.Not.Contain("not-the-password"));
        Assert.That(RegistryPullTests.LayerTarsIn(cache), Is.Empty);
        Assert.That(Directory.Exists(Path.Combine(cache.Root, "refs")) ? Directory.GetFiles(Path.Combine(cache.Root, "refs")) : [], Is.Empty);
    }

    [Test]
    public async Task No_credentials_is_a_401_listing_where_they_were_looked_for()
    {
        using var folder = new TempDirectory();
        var dockerConfig = folder.Combine("no-docker-config");

        var error = await RegistryPullTests.FailAsync(folder, Reference,
            settings: RegistryPullTests.Isolated(folder, new Dictionary<string, string> { ["DOCKER_CONFIG"] = dockerConfig }, [registry.CertsD]));

        Assert.That(error.Code, Is.EqualTo(DiagnosticCodes.RegistryUnauthorized));
        Assert.That(error.Message, Does.Contain("no credentials").And.Contain(Path.Combine(dockerConfig, "config.json")));
    }

    [Test]
    public async Task A_certificate_of_an_untrusted_CA_is_a_TLS_error_with_the_certs_d_hint_and_no_plain_http_retry()
    {
        using var folder = new TempDirectory();
        var requests = registry.LogLines.Count;

        var error = await RegistryPullTests.FailAsync(folder, Reference, settings: RegistryPullTests.Isolated(folder, DockerConfig(folder, registry.Password!), ["/etc/docker/certs.d"]));

        Assert.That(error.Code, Is.EqualTo(DiagnosticCodes.RegistryTlsFailed));
        Assert.That(error.Message, Does.Contain(registry.Host).And.Contain($"/etc/docker/certs.d/{registry.Host}/ca.crt"));
        Assert.That(registry.LogLines.Skip(requests).Where(l => l.Contains("/v2/", StringComparison.Ordinal)), Is.Empty, "no request reached the registry");
    }

    [Test]
    public async Task An_insecure_registry_is_reached_without_verifying_its_certificate()
    {
        using var folder = new TempDirectory();
        var settings = RegistryPullTests.Isolated(folder, DockerConfig(folder, registry.Password!)) with { InsecureRegistries = [registry.Host] };

        var result = await RegistryPullTests.BuildAsync(folder, Reference, null, settings: settings);

        Assert.That(result.Layers, Has.Count.EqualTo(2));
    }

    [Test]
    public void The_command_line_never_shows_the_password_and_leaves_it_in_no_file()
    {
        using var folder = new TempDirectory();
        var password = registry.Password!;
        var work = folder.CreateFolder("work");
        File.WriteAllText(Path.Combine(work, "layerbuild.yml"), $"image: example/derived\nbase: {Reference}\nsteps:\n  - files:\n      - {{ path: /app/a.txt, content: a }}\n");
        var environment = new Dictionary<string, string?>(DockerConfig(folder, password).ToDictionary(p => p.Key, p => (string?)p.Value))
        {
            ["SSL_CERT_FILE"] = registry.CaCertificate, // the system store of the child: the test CA alone
        };

        var good = LayerBuilderCli.Run(["layerbuild.yml", "-o", "image.tar"], work, environment);
        Assert.That(good.ExitCode, Is.Zero, good.Transcript);
        Assert.That(good.StdErr + good.StdOut, Does.Contain("pull").Or.Contain("Wrote"));

        var wrongEnvironment = new Dictionary<string, string?>(environment) { ["DOCKER_CONFIG"] = DockerConfig(folder, password + "-wrong", "wrong")["DOCKER_CONFIG"] };
        var wrong = LayerBuilderCli.Run(["layerbuild.yml", "-o", "wrong.tar", "--no-cache"], work, wrongEnvironment);
        Assert.That(wrong.ExitCode, Is.EqualTo(1), wrong.Transcript);
        Assert.That(wrong.StdErr, Does.Contain("LB5004"));
        Assert.That(File.Exists(Path.Combine(work, "wrong.tar")), Is.False);

        var secrets = new[] { password, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RegistryServer.User}:{password}")) };
        foreach (var secret in secrets)
        {
            Assert.That(good.StdOut + good.StdErr + wrong.StdOut + wrong.StdErr, Does.Not.Contain(secret));
            Assert.That(wrong.StdErr, Does.Not.Contain(password + "-wrong"));
            foreach (var file in Directory.EnumerateFiles(work, "*", SearchOption.AllDirectories)
                .Concat(Directory.EnumerateFiles(CliIsolation.ForCurrentTest().Root, "*", SearchOption.AllDirectories)))
            {
                Assert.That(Encoding.Latin1.GetString(File.ReadAllBytes(file)), Does.Not.Contain(secret), $"{file} holds a secret");
            }
        }
    }

    /// <summary>A docker config.json folder whose <c>auths</c> has the registry with <paramref name="password"/>.</summary>
    private Dictionary<string, string> DockerConfig(TempDirectory folder, string password, string name = "docker")
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RegistryServer.User}:{password}"));
        var config = new JsonObject { ["auths"] = new JsonObject { [registry.Host] = new JsonObject { ["auth"] = auth } } };
        var path = folder.WriteFile(Path.Combine(name, "config.json"), config.ToJsonString());
        return new Dictionary<string, string> { ["DOCKER_CONFIG"] = Path.GetDirectoryName(path)! };
    }

    private string AuthJson(string password) => new JsonObject
    {
        ["auths"] = new JsonObject { [registry.Host] = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RegistryServer.User}:{password}")) } },
    }.ToJsonString();
}
