using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace LayerBuilder.Testing;

/// <summary>
/// A private Debian <c>docker-registry</c> (distribution 2.8) on 127.0.0.1 and a free port, for tests that
/// pull from or push to a real registry. It writes its own config into a temporary folder (filesystem
/// storage there, the access log on, so a test can count the requests and uploads it served); plain HTTP,
/// or TLS with a CA and server certificate made with <c>openssl</c> plus htpasswd Basic auth
/// (<c>htpasswd -B</c>). <see cref="DisposeAsync"/> stops exactly the process it started and deletes the
/// folder. A missing tool skips the test, or fails it when LAYERBUILDER_REQUIRE_ENGINES=1 (CI).
/// </summary>
public sealed partial class RegistryServer : IAsyncDisposable
{
    public const string RegistryProgram = "/usr/bin/docker-registry";
    public const string User = "layerbuilder";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process process;
    private readonly ConcurrentQueue<string> log = new();

    private RegistryServer(string folder, int port, bool tls, string? password, Process process)
    {
        Folder = folder;
        Port = port;
        UsesTls = tls;
        Password = password;
        this.process = process;
    }

    /// <summary>The folder that holds the config, the storage and (with TLS) the certificates.</summary>
    public string Folder { get; }

    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, as an image reference names the registry.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public bool UsesTls { get; }

    /// <summary>The htpasswd password of <see cref="User"/> (a fresh random one); null without auth.</summary>
    public string? Password { get; }

    /// <summary>The CA that signed the server certificate (TLS only).</summary>
    public string CaCertificate => Path.Combine(Folder, "certs", "ca.crt");

    /// <summary>A folder laid out like <c>/etc/docker/certs.d</c>: <c>HOST:PORT/ca.crt</c> (TLS only).</summary>
    public string CertsD => Path.Combine(Folder, "certs.d");

    /// <summary>A folder with only <c>ca.crt</c>, for skopeo's <c>--dest-cert-dir</c> / <c>--src-cert-dir</c>.</summary>
    public string CertDirectory => Path.Combine(CertsD, Host);

    /// <summary>Where the registry keeps blobs: <c>docker/registry/v2/blobs/sha256/XX/HEX/data</c>.</summary>
    public string Storage => Path.Combine(Folder, "storage");

    /// <summary>Every access-log and server log line so far.</summary>
    public IReadOnlyList<string> LogLines => log.ToArray();

    /// <summary>Why registry tests cannot run here (a missing tool), or null.</summary>
    public static string? MissingTool()
    {
        foreach (var tool in new[] { RegistryProgram, "/usr/bin/openssl", "/usr/bin/htpasswd", "/usr/bin/skopeo" })
        {
            if (!File.Exists(tool))
            {
                return $"{tool} is not installed (Debian packages docker-registry, openssl, apache2-utils, skopeo)";
            }
        }

        return null;
    }

    /// <summary>Skips the test when a tool is missing, or fails it under LAYERBUILDER_REQUIRE_ENGINES=1.</summary>
    public static void RequireTools()
    {
        if (MissingTool() is { } reason)
        {
            if (Environment.GetEnvironmentVariable("LAYERBUILDER_REQUIRE_ENGINES") == "1")
            {
                Assert.Fail($"registry tests need {reason} (LAYERBUILDER_REQUIRE_ENGINES=1, so a missing tool is a failure)");
            }

            Assert.Ignore($"registry tests need {reason}");
        }
    }

    /// <summary>A plain-HTTP registry without auth.</summary>
    public static Task<RegistryServer> StartPlainAsync() => StartAsync(tls: false);

    /// <summary>A TLS registry (certificate for 127.0.0.1 signed by a fresh CA) with Basic auth.</summary>
    public static Task<RegistryServer> StartSecureAsync() => StartAsync(tls: true);

    /// <summary>A plain-HTTP registry with distribution's token authentication (<c>auth: token:</c>): it trusts
    /// tokens of <paramref name="tokens"/> only, and names it as the realm of its Bearer challenges.</summary>
    public static Task<RegistryServer> StartWithTokensAsync(TokenServer tokens) => StartAsync(tls: false, tokens);

    private static async Task<RegistryServer> StartAsync(bool tls, TokenServer? tokens = null)
    {
        RequireTools();
        var folder = Directory.CreateTempSubdirectory("lb-registry-").FullName;
        try
        {
            var port = FreePort();
            var host = $"127.0.0.1:{port}";
            Directory.CreateDirectory(Path.Combine(folder, "storage"));
            string? password = null;
            var security = "";
            if (tls)
            {
                password = "pw-" + Guid.NewGuid().ToString("N");
                await MakeCertificatesAsync(folder, host);
                await ProcessRunner.RunCheckedAsync("htpasswd", ["-B", "-b", "-c", Path.Combine(folder, "htpasswd"), User, password]);
                security = $"""
                      tls:
                        certificate: {Path.Combine(folder, "certs", "server.crt")}
                        key: {Path.Combine(folder, "certs", "server.key")}
                    auth:
                      htpasswd:
                        realm: layerbuilder-test
                        path: {Path.Combine(folder, "htpasswd")}

                    """;
            }

            if (tokens is not null)
            {
                password = tokens.Password;
                security = $"""
                    auth:
                      token:
                        realm: {tokens.Realm}
                        service: {TokenServer.Service}
                        issuer: {TokenServer.Issuer}
                        rootcertbundle: {tokens.RootCertBundle}

                    """;
            }

            var config = Path.Combine(folder, "config.yml");
            await File.WriteAllTextAsync(config, $"""
                version: 0.1
                log:
                  level: info
                  accesslog:
                    disabled: false
                storage:
                  filesystem:
                    rootdirectory: {Path.Combine(folder, "storage")}
                  delete:
                    enabled: true
                http:
                  addr: {host}
                {security}
                """);
            var start = ProcessRunner.Prepare(RegistryProgram, ["serve", config], folder, null);
            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            var server = new RegistryServer(folder, port, tls, password, process);
            process.OutputDataReceived += (_, e) => server.Add(e.Data);
            process.ErrorDataReceived += (_, e) => server.Add(e.Data);
            process.Start();
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await server.WaitUntilListeningAsync();
            return server;
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>Copies <paramref name="source"/> (a skopeo source: <c>docker-archive:PATH</c>, <c>oci:DIR:REF</c>)
    /// to <paramref name="repositoryTag"/> of this registry (<c>team/base:1</c>) with <c>skopeo copy</c>
    /// (<paramref name="all"/>: every image of an index) and returns the manifest digest the registry has.</summary>
    public async Task<string> CopyAsync(string source, string repositoryTag, bool all = false)
    {
        var digestFile = Path.Combine(Folder, $"digest-{Guid.NewGuid():N}");
        var arguments = new List<string> { "--insecure-policy", "copy", "--digestfile", digestFile };
        if (all)
        {
            arguments.Add("--all");
        }

        arguments.AddRange(UsesTls
            ? ["--dest-cert-dir", CertDirectory, "--dest-creds", $"{User}:{Password}"]
            : Password is not null ? ["--dest-tls-verify=false", "--dest-creds", $"{User}:{Password}"] : ["--dest-tls-verify=false"]);
        arguments.AddRange([source, $"docker://{Host}/{repositoryTag}"]);
        await ProcessRunner.RunCheckedAsync("skopeo", arguments);
        var digest = (await File.ReadAllTextAsync(digestFile)).Trim();
        File.Delete(digestFile);
        return digest;
    }

    /// <summary>How many requests of <paramref name="method"/> whose path matches <paramref name="pathPattern"/>
    /// (a regular expression over the path, such as <c>^/v2/base/manifests/</c>) the access log shows.</summary>
    public int CountRequests(string method, string pathPattern)
    {
        var path = new Regex(pathPattern);
        return LogLines.Select(l => AccessLine().Match(l)).Count(m => m.Success && m.Groups["method"].Value == method && path.IsMatch(m.Groups["path"].Value));
    }

    /// <summary>The data file of <paramref name="digest"/> (<c>sha256:…</c>) in the registry's storage.</summary>
    public string BlobData(string digest)
    {
        var hex = digest["sha256:".Length..];
        return Path.Combine(Storage, "docker", "registry", "v2", "blobs", "sha256", hex[..2], hex, "data");
    }

    /// <summary>Stops the registry (only the process this object started) and keeps its folder, so a test
    /// can check what a client does when the registry is gone.</summary>
    public async Task StopAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            log.Enqueue(line);
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                Assert.Fail($"docker-registry exited with {process.ExitCode} at start:\n{string.Join('\n', LogLines)}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        Assert.Fail($"docker-registry did not listen on {Host} within {StartTimeout.TotalSeconds} s:\n{string.Join('\n', LogLines)}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task MakeCertificatesAsync(string folder, string host)
    {
        var certs = Directory.CreateDirectory(Path.Combine(folder, "certs")).FullName;
        string In(string name) => Path.Combine(certs, name);
        await ProcessRunner.RunCheckedAsync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", In("ca.key"), "-out", In("ca.crt"), "-days", "2", "-subj", "/CN=LayerBuilder test CA"]);
        await ProcessRunner.RunCheckedAsync("openssl", ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", In("server.key"), "-out", In("server.csr"), "-subj", "/CN=127.0.0.1"]);
        await File.WriteAllTextAsync(In("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        await ProcessRunner.RunCheckedAsync("openssl", ["x509", "-req", "-in", In("server.csr"), "-CA", In("ca.crt"), "-CAkey", In("ca.key"),
            "-CAcreateserial", "-out", In("server.crt"), "-days", "2", "-extfile", In("server.ext")]);
        var trusted = Directory.CreateDirectory(Path.Combine(folder, "certs.d", host)).FullName;
        File.Copy(In("ca.crt"), Path.Combine(trusted, "ca.crt"));
    }

    // distribution's access log is Apache combined format: HOST - USER [TIME] "METHOD PATH HTTP/1.1" STATUS SIZE ...
    [GeneratedRegex("\"(?<method>[A-Z]+) (?<path>[^ \"]+) HTTP/[0-9.]+\" (?<status>[0-9]{3})")]
    private static partial Regex AccessLine();
}
