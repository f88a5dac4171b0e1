using System.Net;

namespace LayerBuilder.EngineTests.Support;

/// <summary>
/// A reverse proxy in front of a real registry that fails chosen requests once each, the way a busy or
/// flaky registry does: a 503, a 429 with <c>Retry-After</c>, or a connection dropped without an answer.
/// Every other request, and each failed one when it comes again, is passed to the registry unchanged
/// (with the proxy as the Host, so the registry's upload Locations point back through it).
/// </summary>
public sealed class FlakyRegistryProxy : IDisposable
{
    /// <summary>Headers HttpClient or HttpListener set themselves.</summary>
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Content-Length", "Transfer-Encoding", "Keep-Alive", "Date", "Server",
    };

    private readonly HttpListener listener = new();
    private readonly HttpClient registry = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private readonly string upstream;
    private readonly List<Fault> faults;
    private readonly Task loop;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> schemes = new();

    public FlakyRegistryProxy(string upstreamHost, IEnumerable<Fault> faults)
    {
        upstream = upstreamHost;
        this.faults = faults.ToList();
        Port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(() => HttpListenerLoop.ServeAsync(listener, HandleAsync));
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    /// <summary>The Authorization scheme of every request that came (<c>Bearer</c>, <c>Basic</c>; <c>-</c> for none).</summary>
    public IReadOnlyList<string> AuthorizationSchemes => schemes.ToArray();

    /// <summary>The faults not yet used: empty once every one was met.</summary>
    public IReadOnlyList<Fault> Unused
    {
        get
        {
            lock (faults)
            {
                return faults.ToList();
            }
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        registry.Dispose();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the loop ends with the listener
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.PathAndQuery;
        schemes.Enqueue(request.Headers["Authorization"]?.Split(' ')[0] ?? "-");
        Fault? fault;
        lock (faults)
        {
            fault = faults.FirstOrDefault(f => f.Method == request.HttpMethod && path.Contains(f.PathPart, StringComparison.Ordinal));
            if (fault is not null)
            {
                faults.Remove(fault);
            }
        }

        try
        {
            if (fault is { CutAfter: { } cut })
            {
                await ForwardAsync(context, path, cut);
                return;
            }

            if (fault is not null)
            {
                await request.InputStream.CopyToAsync(Stream.Null);
                if (fault.Status is null)
                {
                    context.Response.Abort();
                    return;
                }

                context.Response.StatusCode = fault.Status.Value;
                context.Response.AddHeader("Retry-After", "1");
                context.Response.Close();
                return;
            }

            await ForwardAsync(context, path, null);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or HttpRequestException or ObjectDisposedException)
        {
            context.Response.Abort();
        }
    }

    /// <summary>Passes the request on and the answer back; with <paramref name="cutAfter"/>, the answer's
    /// body breaks off after that many bytes (its full length announced), as a dropped download does.</summary>
    private async Task ForwardAsync(HttpListenerContext context, string path, int? cutAfter)
    {
        var request = context.Request;
        using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), $"http://{upstream}{path}");
        if (request.HasEntityBody)
        {
            forward.Content = new StreamContent(request.InputStream);
            if (request.ContentLength64 >= 0)
            {
                forward.Content.Headers.ContentLength = request.ContentLength64;
            }
        }

        foreach (var name in request.Headers.AllKeys.OfType<string>().Where(n => !HopHeaders.Contains(n)))
        {
            var value = request.Headers[name]!;
            if (!forward.Headers.TryAddWithoutValidation(name, value))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        forward.Headers.Host = Host;
        using var answer = await registry.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead);
        var response = context.Response;
        response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers).Where(h => !HopHeaders.Contains(h.Key)))
        {
            response.AddHeader(name, string.Join(", ", values));
        }

        if (request.HttpMethod == "HEAD")
        {
            response.Close();
            return;
        }

        var body = await answer.Content.ReadAsByteArrayAsync();
        response.ContentLength64 = body.Length;
        if (cutAfter is { } cut && cut < body.Length)
        {
            await response.OutputStream.WriteAsync(body.AsMemory(0, cut));
            await response.OutputStream.FlushAsync();
            response.Abort();
            return;
        }

        await response.OutputStream.WriteAsync(body);
        response.Close();
    }

    private static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>One failure: the first <paramref name="Method"/> request whose path holds <paramref name="PathPart"/>
    /// gets <paramref name="Status"/> (with <c>Retry-After: 1</c>), or a dropped connection when it is null; with
    /// <paramref name="CutAfter"/>, the registry's own answer whose body breaks off after that many bytes.</summary>
    public sealed record Fault(string Method, string PathPart, int? Status, int? CutAfter = null);
}
