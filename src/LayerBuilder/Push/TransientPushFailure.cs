using LayerBuilder.Diagnostics;

namespace LayerBuilder.Push;

/// <summary>A failure worth trying again: a 5xx or 429 answer, or a connection dropped while data moved.
/// <see cref="Failure"/> is what the user sees when the tries run out.</summary>
internal sealed class TransientPushFailure(LayerBuildException failure, TimeSpan? retryAfter) : Exception(failure.Message, failure)
{
    public LayerBuildException Failure { get; } = failure;

    /// <summary>The wait the registry asked for (<c>Retry-After</c>), if it did.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
