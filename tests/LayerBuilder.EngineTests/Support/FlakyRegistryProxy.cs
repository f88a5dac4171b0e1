using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LayerBuilder.EngineTests.Support;

/// <summary>
/// A reverse proxy in front of a real registry that fails chosen requests once each, the way a busy or
/// flaky registry does: a 503, a 429 with <c>Retry-After</c>, a connection dropped without an answer, or an
/// answer whose body breaks off. Every other request, and each failed one when it comes again, is passed
/// to the registry unchanged (with the proxy as the Host, so the registry's upload Locations point back
/// through it). It runs on Kestrel, whose abort closes the connection at once: the BCL's
/// <see cref="HttpListener"/> answers an aborted request with a 200 and no body, which is no dropped
/// connection at all.
/// </summary>
public sealed class FlakyRegistryProxy : IDisposable
{
    /// <summary>Headers HttpClient or Kestrel set themselves.</summary>
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Content-Length", "Transfer-Encoding", "Keep-Alive", "Date", "Server",
    };

    private readonly WebApplication server;
    private readonly HttpClient registry = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private readonly string upstream;
    private readonly List<Fault> faults;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> schemes = new();

    public FlakyRegistryProxy(string upstreamHost, IEnumerable<Fault> faults)
    {
        upstream = upstreamHost;
        this.faults = faults.ToList();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null; // upload chunks are 32 MiB
        });
        server = builder.Build();
        server.Run(HandleAsync);
        server.StartAsync().GetAwaiter().GetResult();
        var address = server.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Port = new Uri(address).Port;
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
        server.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)server).Dispose();
        registry.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        // The request target exactly as the client sent it (escapes kept), so the registry sees the same.
        var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        schemes.Enqueue(request.Headers.Authorization.ToString() is { Length: > 0 } authorization ? authorization.Split(' ')[0] : "-");
        Fault? fault;
        lock (faults)
        {
            fault = faults.FirstOrDefault(f => f.Method == request.Method && target.Contains(f.PathPart, StringComparison.Ordinal));
            if (fault is not null)
            {
                faults.Remove(fault);
            }
        }

        try
        {
            if (fault is { CutAfter: { } cut })
            {
                await ForwardAsync(context, target, cut);
                return;
            }

            if (fault is not null)
            {
                await request.Body.CopyToAsync(Stream.Null);
                if (fault.Status is null)
                {
                    context.Abort(); // the connection closes with no answer
                    return;
                }

                context.Response.StatusCode = fault.Status.Value;
                context.Response.Headers.RetryAfter = "1";
                return;
            }

            await ForwardAsync(context, target, null);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException or OperationCanceledException)
        {
            context.Abort();
        }
    }

    /// <summary>Passes the request on and the answer back; with <paramref name="cutAfter"/>, the answer's
    /// body breaks off after that many bytes (its full length announced), as a dropped download does.</summary>
    private async Task ForwardAsync(HttpContext context, string target, int? cutAfter)
    {
        var request = context.Request;
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), $"http://{upstream}{target}");
        if (request.ContentLength is not null || request.Headers.TransferEncoding.Count > 0)
        {
            forward.Content = new StreamContent(request.Body);
            forward.Content.Headers.ContentLength = request.ContentLength;
        }

        foreach (var (name, values) in request.Headers.Where(h => !HopHeaders.Contains(h.Key)))
        {
            if (!forward.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        forward.Headers.Host = Host;
        using var answer = await registry.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        var response = context.Response;
        response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers).Where(h => !HopHeaders.Contains(h.Key)))
        {
            response.Headers[name] = values.ToArray();
        }

        response.ContentLength = answer.Content.Headers.ContentLength;
        if (HttpMethods.IsHead(request.Method))
        {
            return;
        }

        if (cutAfter is { } cut)
        {
            var body = await answer.Content.ReadAsByteArrayAsync(context.RequestAborted);
            response.ContentLength = body.Length;
            if (cut < body.Length)
            {
                await response.Body.WriteAsync(body.AsMemory(0, cut));
                await response.Body.FlushAsync();
                context.Abort();
                return;
            }

            await response.Body.WriteAsync(body);
            return;
        }

        await answer.Content.CopyToAsync(response.Body, context.RequestAborted);
    }

    /// <summary>One failure: the first <paramref name="Method"/> request whose path holds <paramref name="PathPart"/>
    /// gets <paramref name="Status"/> (with <c>Retry-After: 1</c>), or a dropped connection when it is null; with
    /// <paramref name="CutAfter"/>, the registry's own answer whose body breaks off after that many bytes.</summary>
    public sealed record Fault(string Method, string PathPart, int? Status, int? CutAfter = null);
}
