using System.Net;
using LayerBuilder.Diagnostics;
using LayerBuilder.Push;

namespace LayerBuilder.Tests.Unit;

/// <summary>A push step is tried again on a transient failure (5xx, 429, a dropped connection), up to the
/// set number of tries, and reported with how often it was tried; any other failure is reported at once.</summary>
public sealed class PushRetryTests
{
    private static readonly PushSettings Quick = new() { Attempts = 4, FirstDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(4) };

    [Test]
    public async Task Transient_failures_are_tried_again_until_the_step_succeeds()
    {
        var calls = 0;

        var result = await new PushRetry(Quick).RunAsync(_ => ++calls < 3 ? throw Transient() : Task.FromResult("done"), CancellationToken.None);

        Assert.That((result, calls), Is.EqualTo(("done", 3)));
    }

    [Test]
    public void The_last_failure_is_reported_with_the_number_of_tries()
    {
        var calls = 0;

        var e = Assert.ThrowsAsync<LayerBuildException>(() => new PushRetry(Quick).RunAsync<int>(_ => { calls++; throw Transient(); }, CancellationToken.None));

        Assert.That(calls, Is.EqualTo(4));
        Assert.That(e!.Diagnostics.Single().Code, Is.EqualTo(DiagnosticCodes.RegistryError));
        Assert.That(e.Diagnostics[0].Message, Is.EqualTo("registry answered 503 (gave up after 4 tries)"));
    }

    [Test]
    public void Any_other_failure_is_reported_at_once()
    {
        var calls = 0;

        Assert.ThrowsAsync<LayerBuildException>(() => new PushRetry(Quick).RunAsync<int>(_ =>
        {
            calls++;
            throw new LayerBuildException(DiagnosticCodes.RegistryUnauthorized, default, "401");
        }, CancellationToken.None));

        Assert.That(calls, Is.EqualTo(1));
    }

    [TestCase(HttpStatusCode.InternalServerError, true)]
    [TestCase(HttpStatusCode.BadGateway, true)]
    [TestCase(HttpStatusCode.ServiceUnavailable, true)]
    [TestCase(HttpStatusCode.TooManyRequests, true)]
    [TestCase(HttpStatusCode.NotFound, false)]
    [TestCase(HttpStatusCode.Unauthorized, false)]
    [TestCase(HttpStatusCode.BadRequest, false)]
    public void Which_answers_are_worth_another_try(HttpStatusCode status, bool transient) =>
        Assert.That(PushRetry.IsTransient(status), Is.EqualTo(transient));

    [Test]
    public void Retry_After_in_seconds_is_the_wait()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(3));

        Assert.That(PushRetry.RetryAfter(response), Is.EqualTo(TimeSpan.FromSeconds(3)));
    }

    private static TransientPushFailure Transient() =>
        new(new LayerBuildException(DiagnosticCodes.RegistryError, default, "registry answered 503"), null);
}
