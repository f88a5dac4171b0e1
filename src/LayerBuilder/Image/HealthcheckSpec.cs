namespace LayerBuilder.Image;

/// <summary>Docker's HEALTHCHECK; durations in nanoseconds as the config stores them.</summary>
public sealed record HealthcheckSpec(IReadOnlyList<string> Test, long? Interval, long? Timeout, long? StartPeriod, long? StartInterval, int? Retries);
