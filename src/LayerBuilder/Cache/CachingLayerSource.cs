using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Cache;

/// <summary>
/// The layer cache as a decorator over layer writing. A layer whose key is stored is re-hashed first; if
/// its bytes still match it is used as it is (a hit), if not it is evicted and only that layer is written
/// again, all before any byte of the archive exists, whatever the output. A miss is written into the
/// cache's temporary folder (and into its archive slot, when it has one) and then stored under its key.
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
            if (await MatchesAsync(stored, cancellationToken).ConfigureAwait(false))
            {
                work.Reused(stored);
                writing.ReportReused(work, stored.Size);
                return stored;
            }

            // Rotted on disk: evicted, and this one layer is written again below.
            cache.Evict(stored);
        }

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

        var tar = new WrittenTar(written.DiffId, written.Size);
        var kept = cache.Put(key!.Value, temp, tar);

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
