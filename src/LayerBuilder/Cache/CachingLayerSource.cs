using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Cache;

/// <summary>
/// The layer cache as a decorator over layer writing. A layer whose key is stored is a hit. Its bytes are
/// re-hashed before they are used: at once when a later step or the merged view reads them, else just
/// before the archive is written (<see cref="CheckedAsync"/>), so an unchanged archive costs no hashing.
/// A hit whose bytes no longer match is evicted and only that layer is written again, before any byte of
/// the archive exists, whatever the output. A miss is written into the cache's temporary folder (and into
/// its archive slot, when it has one) and then stored under its key.
/// </summary>
internal sealed class CachingLayerSource(LayerWriting writing, BuildCache cache) : ILayerSource
{
    private const int BufferSize = 1 << 20;

    /// <summary>What each layer is to the ones above it: its key, or its diff id when it has none. Works may
    /// arrive in any order; a layer above waits for the identity of the one below.</summary>
    private readonly ConcurrentDictionary<LayerWork, TaskCompletionSource<Digest?>> identities = new();

    public Task<LayerBlob> ObtainAsync(LayerWork work, ArchiveSlot? slot, CancellationToken cancellationToken)
    {
        var below = work.Below is { } lower ? Identity(lower).Task : Task.FromResult(work.BaseChain);
        var key = KeyAsync(work, below);
        var layer = ObtainAsync(work, key, slot, cancellationToken);
        _ = RecordIdentityAsync(work, key, layer);
        return layer;
    }

    private TaskCompletionSource<Digest?> Identity(LayerWork work) =>
        identities.GetOrAdd(work, _ => new TaskCompletionSource<Digest?>(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task<Digest?> KeyAsync(LayerWork work, Task<Digest?> below)
    {
        var lower = await below.ConfigureAwait(false);
        return cache.IsOn ? work.CacheKey(lower) : null;
    }

    /// <summary>A layer's key is its identity as soon as it is known; a layer without one is known by its
    /// diff id, once it is written.</summary>
    private async Task RecordIdentityAsync(LayerWork work, Task<Digest?> key, Task<LayerBlob> layer)
    {
        var identity = Identity(work);
        try
        {
            identity.TrySetResult(await key.ConfigureAwait(false) ?? (await layer.ConfigureAwait(false)).DiffId);
        }
        catch (Exception e)
        {
            identity.TrySetException(e);
        }
    }

    private async Task<LayerBlob> ObtainAsync(LayerWork work, Task<Digest?> keyTask, ArchiveSlot? slot, CancellationToken cancellationToken)
    {
        var key = await keyTask.ConfigureAwait(false);
        if (key is { } known && cache.TryGet(known) is { } stored)
        {
            // Read before the archive (a later step copies from it, the merged view indexes it): checked now.
            // Otherwise it is checked only if the archive is written at all (CheckedAsync).
            if (!work.ReadBeforeArchive || await MatchesAsync(stored, cancellationToken).ConfigureAwait(false))
            {
                work.Reused(stored);
                writing.ReportReused(work, stored.Size);
                return work.ReadBeforeArchive ? stored : new CachedLayer(stored, known);
            }

            // Rotted on disk: evicted, and this one layer is written again.
            cache.Evict(stored);
        }

        return await WriteAsync(work, key, slot, cancellationToken).ConfigureAwait(false);
    }

    public async Task<LayerBlob> CheckedAsync(LayerBlob layer, LayerWork work, CancellationToken cancellationToken)
    {
        if (layer is not CachedLayer cached || await MatchesAsync(cached.Stored, cancellationToken).ConfigureAwait(false))
        {
            return layer is CachedLayer ok ? ok.Stored : layer;
        }

        // Rotted on disk: evicted, and this one layer is written again, before any byte of the archive.
        cache.Evict(cached.Stored);
        return await WriteAsync(work, cached.Key, slot: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a layer the cache does not have: into the cache's temporary folder (and its slot in the
    /// archive, when it has one), then stored under <paramref name="key"/>; without a key, as if uncached.</summary>
    private async Task<LayerBlob> WriteAsync(LayerWork work, Digest? key, ArchiveSlot? slot, CancellationToken cancellationToken)
    {
        var temp = key is null ? null : cache.NewTempPath();
        if (temp is null)
        {
            return await writing.ObtainAsync(work, slot, cancellationToken).ConfigureAwait(false);
        }

        LayerBlob written;
        try
        {
            written = await writing.WriteAsync(work, new LayerDestination(temp, slot), cancellationToken).ConfigureAwait(false);
        }
        catch (Diagnostics.LayerBuildException e) when (cache.GiveUpAfterWriteFailure(e))
        {
            // The cache's disk refused the layer (full, read-only): write it where it would go without a cache.
            return await writing.ObtainAsync(work, slot, cancellationToken).ConfigureAwait(false);
        }

        var kept = cache.Put(key!.Value, temp, new WrittenTar(written.DiffId, written.Size));

        // Written into the archive too: the archive's copy is the one the image uses.
        return slot is null ? kept : written;
    }

    /// <summary>Whether a stored layer's bytes still hash to its diff id.</summary>
    private static async Task<bool> MatchesAsync(FileLayer layer, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var file = File.OpenHandle(layer.FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
            long done = 0;
            while (done < layer.Size)
            {
                var read = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, (int)Math.Min(buffer.Length, layer.Size - done)), done, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return false;
                }

                hash.AppendData(buffer, 0, read);
                done += read;
            }

            return RandomAccess.GetLength(file) == layer.Size && Digest.FromHashBytes(hash.GetHashAndReset()) == layer.DiffId;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // unreadable is as good as damaged: written again
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
