using LayerBuilder.Base;
using LayerBuilder.Cache;
using LayerBuilder.Image;
using LayerBuilder.Recipe;

namespace LayerBuilder.Registry;

/// <summary>
/// Pulls a base by reference into the layer cache ahead of the build that uses it, so the pull can run
/// beside other work: the MSBuild route starts it while the project compiles (docs/decisions.md D80). The
/// build then reads the base as always, by the same reader, and finds every blob already pulled and
/// checked (D61): a prefetch changes no byte of any image. Only a reference the cache has never resolved
/// is worth one; for any other the build's own pull costs one manifest request, and a prefetch would add one.
/// </summary>
internal static class BasePrefetch
{
    /// <summary>Whether <paramref name="reference"/> is an image reference that <paramref name="cache"/> has
    /// never pulled: a tag it never resolved, or a digest whose manifest it does not hold. Reads no network.</summary>
    public static bool IsWorthwhile(string reference, LayerCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (!RemoteReference.TryParse(reference, out var parsed, out _))
        {
            return false;
        }

        try
        {
            var store = PulledBlobStore.InCache(cache);
            return parsed.Digest is { } pinned
                ? store.Find(pinned) is null
                : store.Recall($"{parsed.Repository}:{parsed.Tag ?? RemoteReference.DefaultTag}") is null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // a cache that cannot be read is the build's to report
        }
    }

    /// <summary>Pulls <paramref name="reference"/> (the image of <paramref name="platform"/> out of an index,
    /// linux/amd64 when null) into <paramref name="cache"/>: manifest, config and every layer with its tar,
    /// checked as any pull checks them, and the tar's entries (<see cref="LayerIndexStore"/>). Failures are thrown as the build's own pull would throw them.</summary>
    public static async Task PullAsync(string reference, Platform? platform, LayerCache cache, RegistrySettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cache);
        cache.Prepare();
        using var session = new RegistrySession(settings);
        // The tars are made now, not deferred (D79): the build that follows reads them (its steps stand on
        // the base), and making them is the larger part of the pull this takes off its path.
        var pull = new RegistryPull(session, PulledBlobStore.InCache(cache), Progress: null);
        var spec = new RegistryBase(reference);
        var pulled = await new RegistryBaseReader(spec, pull, platform, deferTars: false).ReadAsync(cancellationToken).ConfigureAwait(false);

        // And their headers read, which the build's plan would read next (D83).
        var indexes = new LayerIndexStore(cache);
        foreach (var layer in pulled.Layers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            LayerIndexer.Keep(layer, spec.Position, indexes);
        }
    }
}
