namespace LayerBuilder.Push;

/// <summary>How a push sends its blobs: the sizes that pick a monolithic or a chunked upload, how many
/// blobs go at once, and how often a transient failure is tried again (docs/decisions.md D39).</summary>
internal sealed record PushSettings
{
    /// <summary>A blob up to this size goes in one PUT; a larger one in PATCH chunks of <see cref="ChunkSize"/>.</summary>
    public long MonolithicLimit { get; init; } = 32L << 20;

    public long ChunkSize { get; init; } = 32L << 20;

    /// <summary>Blobs sent at once (docker's default is 5; the layers of one image are few).</summary>
    public int ConcurrentUploads { get; init; } = 3;

    /// <summary>Tries of one step (a HEAD, a blob's upload, a manifest) before its failure is reported.</summary>
    public int Attempts { get; init; } = 5;

    /// <summary>The wait before the second try; it doubles for each further one, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(8);
}
