using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Cache;

/// <summary>
/// The layer cache as one build uses it. The cache only saves time, so it never fails a build: the first
/// time it cannot be read or written (read-only, a file where a folder belongs, a folder where a layer
/// belongs) the build warns once (LB3005) and goes on without it, writing the same bytes. Layers already
/// written into the cache's temporary folder stay usable and are removed when the build ends.
/// </summary>
internal sealed class BuildCache : IDisposable
{
    private readonly object gate = new();
    private readonly List<string> strays = [];
    private volatile bool off;

    private BuildCache(LayerCache store) => Store = store;

    public LayerCache Store { get; }

    /// <summary>The LB3005 warning, once the cache was given up.</summary>
    public Diagnostic? Warning { get; private set; }

    /// <summary>The cache for one build; when <paramref name="store"/> cannot be used it is off from the start and <see cref="Warning"/> says why.</summary>
    public static BuildCache Open(LayerCache store)
    {
        var cache = new BuildCache(store);
        cache.Try(store.Prepare);
        return cache;
    }

    public bool IsOn => !off;

    public FileLayer? TryGet(Digest key) => off ? null : Try(() => Store.TryGet(key), null);

    /// <summary>Where a layer bound for the cache is written; null once the cache is off.</summary>
    public string? NewTempPath() => off ? null : Try(Store.NewTempPath, null);

    /// <summary>Stores a layer written at <paramref name="writtenPath"/> (a <see cref="NewTempPath"/>);
    /// when that fails the layer is used where it is and removed at the end of the build.</summary>
    public FileLayer Put(Digest key, string writtenPath, WrittenTar written)
    {
        if (!off && Try(() => Store.Put(key, writtenPath, written), null) is { } stored)
        {
            return stored;
        }

        if (File.Exists(writtenPath))
        {
            lock (gate)
            {
                strays.Add(writtenPath);
            }

            return new FileLayer(writtenPath, written.DiffId, written.Size);
        }

        // Moved into the store before the key record failed: the stored file is the layer.
        return new FileLayer(Store.BlobPath(written.DiffId), written.DiffId, written.Size);
    }

    public bool IsUnchanged(string output, Digest archive) => !off && OutputRecord.IsUnchanged(Store, output, archive);

    /// <summary>Records the archive renamed into place; best effort: the archive is complete whatever happens here.</summary>
    public void Remember(string output, Digest archive, HostFileInfo written)
    {
        if (!off)
        {
            Try(() => OutputRecord.Remember(Store, output, archive, written));
        }
    }

    /// <summary>Removes a damaged stored layer; false when it is none of the cache's, or cannot be removed.</summary>
    public bool Evict(FileLayer layer) => Try(() => Store.Evict(layer), false);

    /// <summary>Turns the cache off when writing a layer into it failed for want of space or permission
    /// (<paramref name="failure"/> is LB3001); the caller writes the layer again without it.</summary>
    public bool GiveUpAfterWriteFailure(LayerBuildException failure)
    {
        if (failure.Diagnostics.Any(d => d.Code != DiagnosticCodes.OutputNotWritable))
        {
            return false;
        }

        GiveUp(failure);
        return true;
    }

    public void Dispose()
    {
        foreach (var stray in strays)
        {
            try
            {
                File.Delete(stray);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the cache was already reported unusable
            }
        }
    }

    private void Try(Action action) => Try(() => { action(); return true; }, false);

    private T Try<T>(Func<T> action, T fallback)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            GiveUp(e);
            return fallback;
        }
    }

    private void GiveUp(Exception e)
    {
        lock (gate)
        {
            off = true;
            Warning ??= new Diagnostic(DiagnosticCodes.CacheUnusable, Severity.Warning, SourcePosition.StartOf(Store.Root),
                $"the layer cache '{Store.Root}' cannot be used ({(e is LayerBuildException { Diagnostics: [var first, ..] } ? first.Message : e.Message)}); building without it");
        }
    }
}
