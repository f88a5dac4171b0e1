using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LayerBuilder.Archive;
using LayerBuilder.Build;
using LayerBuilder.Cache;
using LayerBuilder.Diagnostics;
using LayerBuilder.EngineTests.Support;
using LayerBuilder.Layers;
using LayerBuilder.Recipe;

namespace LayerBuilder.EngineTests;

/// <summary>
/// <c>--push</c> against real registries (distribution's <c>docker-registry</c>, plain and TLS with Basic
/// auth): the real docker engine pulls and runs what was pushed, skopeo reads the same manifest digest,
/// a re-push sends nothing, a blob another repository holds is mounted, and failures are one clear line
/// that carries no secret and leaves no output.
/// </summary>
[TestFixture]
public sealed partial class PushEngineTests
{
    [Test]
    public async Task PushToAPlainRegistryIsPulledAndRunByDockerAndSkopeoReadsTheSameDigest()
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("push");
        await using var registry = await RegistryServer.StartPlainAsync();
        var skopeo = SkopeoExecutable();
        var image = await FixtureImage.BuildAsync(work, "push", ArchiveFormat.Docker, repository: $"{registry.Host}/lbe-test",
            request: (recipe, _) => BuildRequest.ToRegistry(recipe));

        var digest = image.Result.PushedManifestDigest?.ToString();
        Assert.That(digest, Is.Not.Null.And.StartWith("sha256:"));
        Assert.That(image.Result.Pushed, Is.EqualTo(image.References));
        Assert.That(File.Exists(image.ArchivePath), Is.False, "a push without an output path writes no archive");
        foreach (var reference in image.References)
        {
            var inspect = await ProcessRunner.RunCheckedAsync(skopeo, ["inspect", "--tls-verify=false", $"docker://{reference}"]);
            using var json = JsonDocument.Parse(inspect.StandardOutput);
            Assert.That(json.RootElement.GetProperty("Digest").GetString(), Is.EqualTo(digest), $"skopeo's digest of {reference}");
        }

        await docker.CleanAsync(image.References);
        try
        {
            var pull = await docker.RunCheckedAsync("pull", image.References.First());
            Assert.That(pull.StandardOutput, Does.Contain($"Digest: {digest}"), pull.Describe);
            var inspected = await docker.InspectImageAsync(image.References.First());
            Assert.That(ConfigAssertions.String(inspected, "Id"), Is.EqualTo(image.Result.ImageId.ToString()), "the pulled image has our config");
            var run = await docker.RunCheckedAsync("run", "--rm", "--network", "none", image.References.First());
            Assert.That(run.StandardOutput, Is.EqualTo(ExpectedImage.DefaultRunOutput), run.Describe);
        }
        finally
        {
            await docker.CleanAsync(image.References);
        }
    }

    [Test]
    public async Task ARepushOfTheSameRecipeSendsNothingAndNamesTheSameDigest()
    {
        using var work = new TempFolder("repush");
        await using var registry = await RegistryServer.StartPlainAsync();
        var image = await FixtureImage.BuildAsync(work, "repush", ArchiveFormat.Docker, repository: $"{registry.Host}/lbe-test",
            request: (recipe, _) => BuildRequest.ToRegistry(recipe));
        var repository = image.Name[(registry.Host.Length + 1)..];
        var writes = Writes(registry, repository).Count;
        Assert.That(BlobWrites(registry, repository), Is.Not.Empty, "the first push uploads its blobs");

        var again = await ImageBuilder.BuildAsync(BuildRequest.ToRegistry(RecipeParser.ParseFile(image.RecipePath)));

        Assert.That(again.PushedManifestDigest, Is.EqualTo(image.Result.PushedManifestDigest), "compression is reproducible: the same recipe pushes the same manifest");
        Assert.That(Writes(registry, repository).Skip(writes), Is.Empty, "an unchanged re-push uploads no blob and writes no manifest");
        Assert.That(AccessLog(registry).Count(l => l.Contains($"HEAD /v2/{repository}/blobs/", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(2 * (image.Result.Layers.Count + 1)),
            "each push asks for every blob (the layers and the config)");
    }

    [Test]
    public async Task ABlobAnotherRepositoryOfTheRegistryHoldsIsMountedNotUploaded()
    {
        using var work = new TempFolder("mount");
        await using var registry = await RegistryServer.StartPlainAsync();
        var cache = new LayerCache(work.Combine("cache"));
        var image = await FixtureImage.BuildAsync(work, "mount", ArchiveFormat.Docker, repository: $"{registry.Host}/lbe-test",
            request: (recipe, _) => BuildRequest.ToRegistry(recipe) with { Cache = cache });
        var first = image.Name[(registry.Host.Length + 1)..];

        // The same recipe under another repository of the same registry.
        var second = first + "-copy";
        var recipeB = Path.Combine(Path.GetDirectoryName(image.RecipePath)!, "layerbuild-copy.yml");
        await File.WriteAllTextAsync(recipeB, (await File.ReadAllTextAsync(image.RecipePath)).Replace($"image: {image.Name}\n", $"image: {registry.Host}/{second}\n", StringComparison.Ordinal));
        var states = new ConcurrentQueue<TransferProgress>();
        var result = await ImageBuilder.BuildAsync(BuildRequest.ToRegistry(RecipeParser.ParseFile(recipeB)) with { Cache = cache, TransferProgress = new Collect(states) });

        var done = states.Where(s => s.Done).ToList();
        Assert.That(done.Select(s => s.Action), Has.All.EqualTo("mounted"), "every blob is in the first repository");
        Assert.That(done.Select(s => s.Repository), Has.All.EqualTo($"{registry.Host}/{second}"));
        Assert.That(done, Has.Count.EqualTo(image.Result.Layers.Count + 1), "the layers and the config");
        var writes = BlobWrites(registry, second);
        Assert.That(writes, Is.Not.Empty.And.All.Contain($"?mount=").And.All.Contain($"from={Uri.EscapeDataString(first)}"), "only mount requests, no upload");
        Assert.That(result.PushedManifestDigest, Is.EqualTo(image.Result.PushedManifestDigest));
    }

    [Test]
    public async Task ABaseLayerPulledFromTheSameRegistryIsMountedFromItsRepositoryNotUploaded()
    {
        using var work = new TempFolder("mount-base");
        await using var registry = await RegistryServer.StartPlainAsync();
        var fixture = await FixtureImage.BuildAsync(work, "mount-base", ArchiveFormat.Docker);
        await registry.CopyAsync($"docker-archive:{fixture.ArchivePath}", "team/base:1");
        var baseLayers = await LayerDigestsAsync(registry, "team/base:1");
        var recipe = work.Combine("app.yml");
        await File.WriteAllTextAsync(recipe, $"image: {registry.Host}/team/app\nbase: \"{registry.Host}/team/base:1\"\n");

        var states = new ConcurrentQueue<TransferProgress>();
        var result = await ImageBuilder.BuildAsync(BuildRequest.ToRegistry(RecipeParser.ParseFile(recipe)) with
        {
            Cache = new LayerCache(work.Combine("cache")),
            TransferProgress = new Collect(states),
        });

        var pushedLayers = await LayerDigestsAsync(registry, "team/app:latest");
        Assert.That(pushedLayers, Is.EqualTo(baseLayers), "the pushed manifest names the very blobs the base was pulled as");
        var mounted = states.Where(s => s.Done && s.Action == "mounted").Select(s => s.Digest.ToString()).ToList();
        Assert.That(mounted, Is.EquivalentTo(baseLayers), "every base layer is mounted");
        var writes = BlobWrites(registry, "team/app");
        foreach (var layer in baseLayers)
        {
            Assert.That(writes.Count(l => l.Contains($"POST /v2/team/app/blobs/uploads/?mount={layer}&from=team%2Fbase", StringComparison.Ordinal)), Is.EqualTo(1),
                $"one mount of {layer} from the base's repository");
        }

        Assert.That(writes.Where(l => !l.Contains("?mount=", StringComparison.Ordinal)).ToList(), Has.Count.LessThanOrEqualTo(2),
            "no upload but the new config's (one POST and one PUT)");
        Assert.That(writes.Where(l => l.Contains("PATCH ", StringComparison.Ordinal)), Is.Empty, "no chunk was sent");
        Assert.That(writes.Where(l => baseLayers.Any(d => l.Contains("digest=" + Uri.EscapeDataString(d), StringComparison.Ordinal) || l.Contains("digest=" + d, StringComparison.Ordinal))), Is.Empty,
            "no base layer was uploaded");
        Assert.That(result.PushedManifestDigest?.ToString(), Is.EqualTo(await ManifestDigestAsync(registry, "team/app:latest")), "the printed digest is the registry's");
    }

    [Test]
    public async Task PushToATlsRegistryWithBasicAuthIsPulledAfterDockerLoginAndNoSecretIsPrinted()
    {
        var docker = await Engines.DockerAsync();
        using var work = new TempFolder("push-tls");
        await using var registry = await RegistryServer.StartSecureAsync();
        var skopeo = SkopeoExecutable();
        using var trust = CertsD.Install(registry);
        var image = await FixtureImage.BuildAsync(work, "push-tls", ArchiveFormat.Docker, repository: $"{registry.Host}/lbe-test",
            request: (recipe, output) => BuildRequest.ToFile(recipe, output));
        var config = WriteDockerConfig(work, registry, registry.Password!);
        var archive = work.Combine("pushed.tar");

        var push = await RunToolAsync(work, config, image.RecipePath, "--push", "-o", archive);

        Assert.That(push.ExitCode, Is.Zero, push.Describe);
        var digest = PushedDigest(push);
        Assert.That(File.Exists(archive), Is.True, "with -o the archive is written as well");
        AssertNoSecret(registry, push.Output, work.Combine("cache"), archive);

        var inspect = await ProcessRunner.RunCheckedAsync(skopeo, ["inspect", "--cert-dir", registry.CertDirectory,
            "--creds", $"{RegistryServer.User}:{registry.Password}", $"docker://{image.References.First()}"]);
        using (var json = JsonDocument.Parse(inspect.StandardOutput))
        {
            Assert.That(json.RootElement.GetProperty("Digest").GetString(), Is.EqualTo(digest), "skopeo reads the printed digest");
        }

        var dockerConfig = work.Combine("docker-cli");
        Directory.CreateDirectory(dockerConfig);
        await docker.CleanAsync(image.References);
        try
        {
            // The password on the command line: the runner gives the process no standard input to read it from.
            var loggedIn = await ProcessRunner.RunAsync("docker", ["--config", dockerConfig, "-H", docker.Host, "login", registry.Host, "-u", RegistryServer.User, "-p", registry.Password!]);
            Assert.That(loggedIn.ExitCode, Is.Zero, loggedIn.Describe);
            var pull = await ProcessRunner.RunCheckedAsync("docker", ["--config", dockerConfig, "-H", docker.Host, "pull", image.References.First()]);
            Assert.That(pull.StandardOutput, Does.Contain($"Digest: {digest}"), pull.Describe);
            var run = await docker.RunCheckedAsync("run", "--rm", "--network", "none", image.References.First());
            Assert.That(run.StandardOutput, Is.EqualTo(ExpectedImage.DefaultRunOutput), run.Describe);
        }
        finally
        {
            await docker.CleanAsync(image.References);
        }
    }

    [Test]
    public async Task AWrongPasswordIsOneClearErrorWithoutTheSecretAndNothingIsWritten()
    {
        using var work = new TempFolder("push-401");
        await using var registry = await RegistryServer.StartSecureAsync();
        using var trust = CertsD.Install(registry);
        var image = await FixtureImage.BuildAsync(work, "push-401", ArchiveFormat.Docker, repository: $"{registry.Host}/lbe-test");
        var wrong = $"wrong-{Guid.NewGuid():N}";
        var config = WriteDockerConfig(work, registry, wrong);
        var archive = work.Combine("never.tar");

        var push = await RunToolAsync(work, config, image.RecipePath, "--push", "-o", archive);

        Assert.That(push.ExitCode, Is.EqualTo(1), push.Describe);
        Assert.That(push.StandardError, Does.Contain($"error {DiagnosticCodes.RegistryUnauthorized.Id}").And.Contain(registry.Host), push.Describe);
        Assert.That(push.StandardError.Split('\n').Count(l => l.Contains(" error ", StringComparison.Ordinal)), Is.EqualTo(1), "one error line (the rest is progress):\n" + push.StandardError);
        Assert.That(push.Output, Does.Not.Contain(wrong).And.Not.Contain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RegistryServer.User}:{wrong}"))));
        Assert.That(File.Exists(archive), Is.False, "a failed push leaves no archive");
        Assert.That(BlobWrites(registry, image.Name[(registry.Host.Length + 1)..]).Where(l => !l.Contains("\" 401 ", StringComparison.Ordinal)), Is.Empty, "nothing was accepted");
    }

    [Test]
    public async Task AStoppedRegistryIsOneClearErrorWithinSecondsAndNothingIsWritten()
    {
        using var work = new TempFolder("push-down");
        await using var registry = await RegistryServer.StartPlainAsync();
        var image = await FixtureImage.BuildAsync(work, "push-down", ArchiveFormat.Docker, repository: $"{registry.Host}/lbe-test");
        await registry.StopAsync();
        var archive = work.Combine("never.tar");

        var clock = Stopwatch.StartNew();
        var push = await RunToolAsync(work, WriteDockerConfig(work, null, null), image.RecipePath, "--push", "-o", archive);

        Assert.That(push.ExitCode, Is.EqualTo(1), push.Describe);
        Assert.That(push.StandardError, Does.Contain($"error {DiagnosticCodes.RegistryUnreachable.Id}").And.Contain(registry.Host).And.Contain("refused"), push.Describe);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), "a refused connection is not retried for minutes");
        Assert.That(File.Exists(archive), Is.False, "a failed push leaves no archive");
    }

    [Test]
    public async Task A503A429AndADroppedConnectionAreTriedAgainAndThePushSucceeds()
    {
        using var work = new TempFolder("push-flaky");
        await using var registry = await RegistryServer.StartPlainAsync();
        using var proxy = new FlakyRegistryProxy(registry.Host,
        [
            new("PUT", "/blobs/uploads/", 503),
            new("POST", "/blobs/uploads/", 429),
            new("PUT", "/manifests/", null),
        ]);
        var skopeo = SkopeoExecutable();
        var image = await FixtureImage.BuildAsync(work, "push-flaky", ArchiveFormat.Docker, repository: $"{proxy.Host}/lbe-test",
            request: (recipe, _) => BuildRequest.ToRegistry(recipe));

        Assert.That(proxy.Unused, Is.Empty, "every failure was met, and each was tried again");
        var repository = image.Name[(proxy.Host.Length + 1)..];
        // Every tag, the one whose manifest PUT lost its connection too: a push that took the drop for success would leave it missing.
        Assert.That(image.Tags, Has.Count.GreaterThan(1));
        foreach (var tag in image.Tags)
        {
            var inspect = await ProcessRunner.RunCheckedAsync(skopeo, ["inspect", "--tls-verify=false", $"docker://{registry.Host}/{repository}:{tag}"]);
            using var json = JsonDocument.Parse(inspect.StandardOutput);
            Assert.That(json.RootElement.GetProperty("Digest").GetString(), Is.EqualTo(image.Result.PushedManifestDigest?.ToString()), $"the registry holds what was printed, as {tag}");
        }
    }

    [Test]
    public async Task A503A429AndConnectionsDroppedBeforeAndDuringABlobAreTriedAgainAndThePullSucceeds()
    {
        using var work = new TempFolder("pull-flaky");
        await using var registry = await RegistryServer.StartPlainAsync();
        var fixture = await FixtureImage.BuildAsync(work, "pull-flaky", ArchiveFormat.Docker);
        await registry.CopyAsync($"docker-archive:{fixture.ArchivePath}", "team/base:1");
        using var proxy = new FlakyRegistryProxy(registry.Host,
        [
            new("GET", "/manifests/", 503),
            new("GET", "/blobs/", 429),
            // Bodies broken off after 100 bytes (the config's and a layer's, or the config's twice): the
            // listener answers a drop before the headers with an empty 200, which is no transport failure.
            new("GET", "/blobs/", 200, CutAfter: 100),
            new("GET", "/blobs/", 200, CutAfter: 100),
        ]);
        var recipe = work.Combine("pulled.yml");
        await File.WriteAllTextAsync(recipe, $"image: example/pulled\nbase: \"{proxy.Host}/team/base:1\"\n");

        var result = await ImageBuilder.BuildAsync(BuildRequest.ToFile(RecipeParser.ParseFile(recipe), work.Combine("pulled.tar")) with
        {
            Cache = new LayerCache(work.Combine("cache")),
        });

        Assert.That(proxy.Unused, Is.Empty, "every failure was met, and each was tried again");
        Assert.That(result.Layers.Select(l => l.DiffId), Is.EqualTo(fixture.Result.Layers.Select(l => l.DiffId)), "every layer arrived whole");
    }

    [Test]
    public async Task ThroughATokenServerABaseIsPulledAndTheImagePushedWithOneTokenPerScopeRefreshedOn401AndNoSecretShown()
    {
        using var work = new TempFolder("token");
        using var tokens = await TokenServer.StartAsync();
        await using var registry = await RegistryServer.StartWithTokensAsync(tokens);
        var fixture = await FixtureImage.BuildAsync(work, "token-base", ArchiveFormat.Docker);
        await registry.CopyAsync($"docker-archive:{fixture.ArchivePath}", "team/base:1");
        using var proxy = new FlakyRegistryProxy(registry.Host, []);
        var skopeoRequests = tokens.Requests.Count;

        // The first token for the push's scope grants nothing: the registry answers 401 and a new one is asked for.
        tokens.DenyFirst("repository:team/app:pull,push");
        var recipe = work.Combine("token.yml");
        await File.WriteAllTextAsync(recipe, $"image: {proxy.Host}/team/app\nbase: \"{proxy.Host}/team/base:1\"\n");
        var dockerConfig = work.Combine("docker-config");
        Directory.CreateDirectory(dockerConfig);
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TokenServer.User}:{tokens.Password}"));
        await File.WriteAllTextAsync(Path.Combine(dockerConfig, "config.json"), $$"""{ "auths": { "{{proxy.Host}}": { "auth": "{{auth}}" } } }""");
        var push = await RunToolAsync(work, dockerConfig, recipe, "--push", "-o", work.Combine("token.tar"));

        Assert.That(push.ExitCode, Is.EqualTo(0), push.Describe);
        var ours = tokens.Requests.Skip(skopeoRequests).ToList();
        Assert.That(ours, Has.All.Matches<TokenServer.TokenRequest>(r => r.Scheme == "Basic" && r.ValidCredentials && r.Service == TokenServer.Service),
            "the credentials go to the token server, as Basic");
        var byScope = ours.GroupBy(r => string.Join(' ', r.Scopes)).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(byScope.GetValueOrDefault("repository:team/base:pull"), Is.EqualTo(1), $"one token to pull the base: {string.Join("; ", byScope)}");
        Assert.That(byScope.Where(s => s.Key.StartsWith("repository:team/app:pull,push", StringComparison.Ordinal)).Sum(s => s.Value), Is.EqualTo(2),
            $"one token to push, and one more after the 401 to the denied one: {string.Join("; ", byScope)}");
        Assert.That(proxy.AuthorizationSchemes, Has.None.EqualTo("Basic"), "the registry never sees the credentials, only tokens");
        Assert.That(proxy.AuthorizationSchemes, Has.Some.EqualTo("Bearer"));
        Assert.That(await ManifestDigestAsync(registry, "team/app:latest", $"{TokenServer.User}:{tokens.Password}"), Is.EqualTo(PushedDigest(push)));
        foreach (var secret in new[] { tokens.Password, auth })
        {
            Assert.That(push.StandardOutput + push.StandardError, Does.Not.Contain(secret), "no secret in the output");
            foreach (var file in Directory.EnumerateFiles(work.Combine("cache"), "*", SearchOption.AllDirectories).Append(work.Combine("token.tar")))
            {
                Assert.That(File.ReadAllBytes(file).AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)), Is.EqualTo(-1), $"{file} carries a secret");
            }
        }
    }

    /// <summary>The layer digests of the manifest <paramref name="repositoryTag"/> names, as skopeo reads them.</summary>
    private static async Task<List<string>> LayerDigestsAsync(RegistryServer registry, string repositoryTag)
    {
        var inspect = await ProcessRunner.RunCheckedAsync(SkopeoExecutable(), ["inspect", "--raw", "--tls-verify=false", $"docker://{registry.Host}/{repositoryTag}"]);
        using var json = JsonDocument.Parse(inspect.StandardOutput);
        return json.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToList();
    }

    private static async Task<string?> ManifestDigestAsync(RegistryServer registry, string repositoryTag, string? credentials = null)
    {
        var inspect = await ProcessRunner.RunCheckedAsync(SkopeoExecutable(),
            ["inspect", "--tls-verify=false", .. credentials is null ? Array.Empty<string>() : ["--creds", credentials], $"docker://{registry.Host}/{repositoryTag}"]);
        using var json = JsonDocument.Parse(inspect.StandardOutput);
        return json.RootElement.GetProperty("Digest").GetString();
    }

    /// <summary>The registry's access-log lines (requests under <c>/v2/</c>).</summary>
    private static List<string> AccessLog(RegistryServer registry) => registry.LogLines.Where(l => AccessLine().IsMatch(l)).ToList();

    /// <summary>Requests that open blob uploads or send blob bytes (POST, PATCH, PUT under <c>/blobs/</c>) to <paramref name="repository"/>.</summary>
    private static List<string> BlobWrites(RegistryServer registry, string repository) =>
        AccessLog(registry).Where(l => BlobWrite().Match(l) is { Success: true } m && m.Groups["repo"].Value == repository).ToList();

    /// <summary>Every request that changes anything (POST, PATCH, PUT, DELETE) in <paramref name="repository"/>.</summary>
    private static List<string> Writes(RegistryServer registry, string repository) =>
        AccessLog(registry).Where(l => AnyWrite().Match(l) is { Success: true } m && m.Groups["repo"].Value == repository).ToList();

    [GeneratedRegex("\"(GET|HEAD|POST|PUT|PATCH|DELETE) /v2/")]
    private static partial Regex AccessLine();

    [GeneratedRegex("\"(POST|PATCH|PUT) /v2/(?<repo>.+?)/blobs/")]
    private static partial Regex BlobWrite();

    [GeneratedRegex("\"(POST|PATCH|PUT|DELETE) /v2/(?<repo>.+?)/(blobs|manifests)/")]
    private static partial Regex AnyWrite();

    /// <summary>Runs the built tool with its own cache and credentials folder, as a user would.</summary>
    private static Task<ProcessResult> RunToolAsync(TempFolder work, string dockerConfig, params string[] arguments)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "dotnet-layerbuild.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var environment = new Dictionary<string, string?>
        {
            ["DOCKER_CONFIG"] = dockerConfig,
            ["XDG_CACHE_HOME"] = work.Combine("cache"),
            ["REGISTRY_AUTH_FILE"] = null,
            ["XDG_RUNTIME_DIR"] = null,
        };
        return ProcessRunner.RunAsync(ProcessRunner.Prepare(dotnet, [tool, .. arguments], work.Path, environment), ProcessRunner.DefaultTimeout);
    }

    /// <summary>A DOCKER_CONFIG folder whose config.json holds <paramref name="password"/> for the registry (none when null).</summary>
    private static string WriteDockerConfig(TempFolder work, RegistryServer? registry, string? password)
    {
        var folder = work.Combine($"docker-config-{Guid.NewGuid():N}"[..22]);
        Directory.CreateDirectory(folder);
        var auths = registry is null || password is null
            ? "{}"
            : $$"""{ "{{registry.Host}}": { "auth": "{{Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RegistryServer.User}:{password}"))}}" } }""";
        File.WriteAllText(Path.Combine(folder, "config.json"), $$"""{ "auths": {{auths}} }""");
        return folder;
    }

    private static string PushedDigest(ProcessResult push)
    {
        var line = push.StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith("Pushed:", StringComparison.Ordinal));
        Assert.That(line, Is.Not.Null, push.Describe);
        return line![(line.LastIndexOf('@') + 1)..].Trim();
    }

    /// <summary>The password, and the base64 form config.json stores, appear nowhere: not in the output,
    /// the cache (every file) or the archive.</summary>
    private static void AssertNoSecret(RegistryServer registry, string output, string cache, string archive)
    {
        var secrets = new[] { registry.Password!, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RegistryServer.User}:{registry.Password}")) };
        foreach (var secret in secrets)
        {
            Assert.That(output, Does.Not.Contain(secret), "the output carries a secret");
            var bytes = Encoding.UTF8.GetBytes(secret);
            var files = Directory.Exists(cache) ? Directory.EnumerateFiles(cache, "*", SearchOption.AllDirectories) : [];
            foreach (var file in files.Append(archive))
            {
                Assert.That(File.ReadAllBytes(file).AsSpan().IndexOf(bytes), Is.EqualTo(-1), $"{file} carries a secret");
            }
        }
    }

    private static string SkopeoExecutable() =>
        ProcessRunner.Find("skopeo") ?? throw Engines.Unavailable("skopeo", "`skopeo` is not on PATH");

    private sealed class Collect(ConcurrentQueue<TransferProgress> into) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => into.Enqueue(value);
    }

    /// <summary>The registry's CA in docker's per-registry folder (<c>/etc/docker/certs.d/HOST:PORT/ca.crt</c>),
    /// where both the docker engine and LayerBuilder look; removed again when disposed.</summary>
    private sealed class CertsD : IDisposable
    {
        private CertsD(string folder) => Folder = folder;

        /// <summary>The folder that holds only <c>ca.crt</c>, as skopeo's <c>--cert-dir</c> wants it.</summary>
        public string Folder { get; }

        public static CertsD Install(RegistryServer registry)
        {
            if (HostUser.EffectiveUid != 0)
            {
                throw Engines.Unavailable("docker certs.d", "writing /etc/docker/certs.d needs root");
            }

            var folder = Path.Combine("/etc/docker/certs.d", registry.Host);
            Directory.CreateDirectory(folder);
            File.Copy(registry.CaCertificate!, Path.Combine(folder, "ca.crt"), overwrite: true);
            return new CertsD(folder);
        }

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }
}
