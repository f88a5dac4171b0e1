using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace LayerBuilder.EngineTests.Support;

/// <summary>
/// A real <c>docker-registry</c> (distribution) on a free loopback port, for the push tests: plain HTTP,
/// or TLS with a CA made by <c>openssl</c> and htpasswd Basic auth. Its access log is kept, so tests count
/// what was uploaded. Stopped and removed when disposed.
/// </summary>
public sealed partial class PushRegistry : IDisposable
{
    public const string User = "pusher";

    private readonly Process process;
    private readonly StringBuilder log = new();

    private PushRegistry(Process process, int port, string folder, string? caCertificate, string? password)
    {
        this.process = process;
        Port = port;
        Folder = folder;
        CaCertificate = caCertificate;
        Password = password;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, as image names and docker's certs.d spell it.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public string Folder { get; }

    /// <summary>The CA that signed the registry's certificate (PEM file); null for a plain registry.</summary>
    public string? CaCertificate { get; }

    /// <summary>The htpasswd password of <see cref="User"/>; null for a registry without auth.</summary>
    public string? Password { get; }

    public static Task<PushRegistry> StartPlainAsync(TempFolder work) => StartAsync(work, tls: false);

    public static Task<PushRegistry> StartTlsWithBasicAuthAsync(TempFolder work) => StartAsync(work, tls: true);

    /// <summary>The access log lines so far.</summary>
    public IReadOnlyList<string> AccessLog()
    {
        lock (log)
        {
            return log.ToString().Split('\n').Where(l => AccessLine().IsMatch(l)).ToList();
        }
    }

    /// <summary>Requests that send blob bytes or open blob uploads (POST, PATCH, PUT under <c>/blobs/</c>) to <paramref name="repository"/>.</summary>
    public IReadOnlyList<string> BlobWrites(string repository) =>
        AccessLog().Where(l => BlobWrite().Match(l) is { Success: true } m && m.Groups["repo"].Value == repository).ToList();

    /// <summary>Every request that changes anything (POST, PATCH, PUT, DELETE) to <paramref name="repository"/>.</summary>
    public IReadOnlyList<string> Writes(string repository) =>
        AccessLog().Where(l => AnyWrite().Match(l) is { Success: true } m && m.Groups["repo"].Value == repository).ToList();

    /// <summary>Stops the registry (its port then refuses connections).</summary>
    public void Stop()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Stop();
        process.Dispose();
    }

    private static async Task<PushRegistry> StartAsync(TempFolder work, bool tls)
    {
        var executable = ProcessRunner.Find("docker-registry") ?? throw Engines.Unavailable("docker-registry", "`docker-registry` is not on PATH (Debian package docker-registry)");
        var folder = work.Combine(tls ? "registry-tls" : "registry");
        Directory.CreateDirectory(folder);
        var port = FreePort();
        string? ca = null;
        string? password = null;
        var config = new StringBuilder($"""
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: false
            storage:
              filesystem:
                rootdirectory: {folder}/data
            http:
              addr: 127.0.0.1:{port}

            """);
        if (tls)
        {
            ca = await MakeCertificatesAsync(folder);
            password = $"pw-{Guid.NewGuid():N}";
            var htpasswd = await ProcessRunner.RunAsync(ProcessRunner.Find("htpasswd") ?? throw Engines.Unavailable("htpasswd", "`htpasswd` is not on PATH (Debian package apache2-utils)"),
                ["-Bbn", User, password]);
            Assert.That(htpasswd.ExitCode, Is.Zero, htpasswd.Describe);
            await File.WriteAllTextAsync(Path.Combine(folder, "htpasswd"), htpasswd.StandardOutput);
            config.Append($"""
                  tls:
                    certificate: {folder}/server.crt
                    key: {folder}/server.key
                auth:
                  htpasswd:
                    realm: layerbuilder-test
                    path: {folder}/htpasswd

                """);
        }

        var configFile = Path.Combine(folder, "config.yml");
        await File.WriteAllTextAsync(configFile, config.ToString());
        var start = ProcessRunner.Prepare(executable, ["serve", configFile], folder, null);
        var process = Process.Start(start) ?? throw new InvalidOperationException("docker-registry did not start");
        process.StandardInput.Close();
        var registry = new PushRegistry(process, port, folder, ca, password);
        await registry.WaitUntilListeningAsync();
        return registry;
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            Assert.That(process.HasExited, Is.False, () => $"docker-registry ended:\n{log}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        Assert.Fail($"docker-registry did not listen on {Host}:\n{log}");
    }

    /// <summary>A CA and a server certificate for 127.0.0.1 signed by it; returns the CA's PEM path.</summary>
    private static async Task<string> MakeCertificatesAsync(string folder)
    {
        var openssl = ProcessRunner.Find("openssl") ?? throw Engines.Unavailable("openssl", "`openssl` is not on PATH");
        string In(string name) => Path.Combine(folder, name);
        await File.WriteAllTextAsync(In("server.ext"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        await ProcessRunner.RunCheckedAsync(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", In("ca.key"), "-out", In("ca.crt"), "-days", "2",
            "-subj", "/CN=LayerBuilder push test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
        await ProcessRunner.RunCheckedAsync(openssl, ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", In("server.key"), "-out", In("server.csr"), "-subj", "/CN=127.0.0.1"]);
        await ProcessRunner.RunCheckedAsync(openssl, ["x509", "-req", "-in", In("server.csr"), "-CA", In("ca.crt"), "-CAkey", In("ca.key"), "-CAcreateserial",
            "-out", In("server.crt"), "-days", "2", "-extfile", In("server.ext")]);
        return In("ca.crt");
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.Append(line).Append('\n');
        }
    }

    [GeneratedRegex("\"(GET|HEAD|POST|PUT|PATCH|DELETE) /v2/")]
    private static partial Regex AccessLine();

    [GeneratedRegex("\"(POST|PATCH|PUT) /v2/(?<repo>.+?)/blobs/")]
    private static partial Regex BlobWrite();

    [GeneratedRegex("\"(POST|PATCH|PUT|DELETE) /v2/(?<repo>.+?)/(blobs|manifests)/")]
    private static partial Regex AnyWrite();
}
