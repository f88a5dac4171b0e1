using System.Net;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Push;

/// <summary>
/// Runs one step of a push again when it fails transiently (<see cref="TransientPushFailure"/>): after
/// the registry's <c>Retry-After</c>, else an exponential backoff. A refused connection, a 4xx answer or
/// a wrong digest is no such failure: it is reported at once.
/// </summary>
internal sealed class PushRetry(PushSettings settings)
{
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> step, CancellationToken cancellationToken)
    {
        var delay = settings.FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await step(cancellationToken).ConfigureAwait(false);
            }
            catch (TransientPushFailure e) when (attempt < settings.Attempts)
            {
                var wait = e.RetryAfter is { } asked && asked <= settings.MaxDelay ? asked : delay;
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxDelay.Ticks));
            }
            catch (TransientPushFailure e)
            {
                var first = e.Failure.Diagnostics[0];
                throw new LayerBuildException(first with { Message = $"{first.Message} (gave up after {attempt} tries)" });
            }
        }
    }

    /// <summary>Whether an answer with <paramref name="status"/> may succeed when sent again.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>The wait a 429 or 503 asks for, in seconds or as a date.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
