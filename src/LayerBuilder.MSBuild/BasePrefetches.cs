using System.Collections.Concurrent;

namespace LayerBuilder.MSBuild;

/// <summary>
/// The base pulls <see cref="PrefetchBaseImage"/> started in this MSBuild process and not yet waited for,
/// one per project and cache. A project's targets all run in the process that builds it, so the
/// <c>LayerBuild</c> target of the same project finds its prefetch here and waits for it before it pulls
/// the base itself: the two never fetch the same blobs at once (docs/decisions.md D80).
/// </summary>
internal static class BasePrefetches
{
    private static readonly ConcurrentDictionary<string, Prefetch> Running = new(StringComparer.Ordinal);

    /// <summary>Starts <paramref name="pull"/> for <paramref name="key"/> on the thread pool unless one is
    /// already running for it; false when one was.</summary>
    public static bool Start(string key, Func<CancellationToken, Task> pull)
    {
        var stop = new CancellationTokenSource();
        var pulling = new Task<Task>(() => pull(stop.Token));
        if (!Running.TryAdd(key, new Prefetch(pulling.Unwrap(), stop)))
        {
            stop.Dispose();
            return false;
        }

        // Started only once it can be found: a build that waits for it never misses a running pull.
        pulling.Start(TaskScheduler.Default);
        return true;
    }

    /// <summary>Waits for the prefetch of <paramref name="key"/>, if one was started, and forgets it. Its
    /// failure is not the build's: the build pulls the base itself and reports what is wrong. Cancelling
    /// <paramref name="cancellationToken"/> cancels the prefetch too. Returns the failure, for the log.</summary>
    public static Exception? WaitFor(string key, CancellationToken cancellationToken)
    {
        if (!Running.TryRemove(key, out var prefetch))
        {
            return null;
        }

        using var stop = cancellationToken.Register(prefetch.Stop.Cancel);
        try
        {
            prefetch.Task.Wait(CancellationToken.None);
            return null;
        }
        catch (AggregateException e)
        {
            return e.InnerException ?? e;
        }
        finally
        {
            prefetch.Stop.Dispose();
        }
    }

    /// <summary>The key of a project's prefetch into a cache.</summary>
    public static string KeyOf(string projectFile, string cacheRoot) => Path.GetFullPath(projectFile) + "\n" + Path.GetFullPath(cacheRoot);

    private sealed record Prefetch(Task Task, CancellationTokenSource Stop);
}
