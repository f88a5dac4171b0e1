using System.Buffers;
using System.Security.Cryptography;
using LayerBuilder.Image;

namespace LayerBuilder.Layers;

/// <summary>
/// Hashes a layer's buffers in order on a thread of its own. SHA-256 is the most expensive part of
/// writing a big layer; with it on the other core, reading and writing go on at the speed of the disk.
/// A fixed set of buffers circulates between the producer and the hasher: no allocation per buffer
/// (renting 1 MiB arrays on one thread and returning them on another defeats the shared pool's
/// per-core caches, and fresh arrays cost page faults), and a slow hash makes the producer wait
/// instead of filling memory.
/// </summary>
internal sealed class BufferHasher : IDisposable
{
    private const int Buffers = 8;

    private readonly Queue<(byte[] Buffer, int Count)> queue = new();
    private readonly Stack<byte[]> free = new();
    private readonly int bufferSize;
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Thread thread;
    private bool completed;
    private bool stopped;
    private Exception? failure;

    public BufferHasher(int bufferSize)
    {
        this.bufferSize = bufferSize;
        thread = new Thread(Run) { IsBackground = true, Name = "layer hash" };
        thread.Start();
    }

    /// <summary>An empty buffer to fill: a hashed one, or a new one while fewer than the set exist;
    /// waits while all are queued.</summary>
    public byte[] Rent()
    {
        lock (queue)
        {
            while (free.Count == 0 && queue.Count + 1 >= Buffers && !stopped)
            {
                Monitor.Wait(queue);
            }

            if (stopped)
            {
                throw new InvalidOperationException("the layer hash has stopped", failure);
            }

            return free.Count > 0 ? free.Pop() : ArrayPool<byte>.Shared.Rent(bufferSize);
        }
    }

    /// <summary>Queues <paramref name="count"/> bytes of <paramref name="buffer"/> (from <see cref="Rent"/>)
    /// to be hashed after everything queued before.</summary>
    public void Add(byte[] buffer, int count)
    {
        lock (queue)
        {
            queue.Enqueue((buffer, count));
            Monitor.PulseAll(queue);
        }
    }

    /// <summary>Takes back a rented buffer that was not filled.</summary>
    public void Return(byte[] buffer)
    {
        lock (queue)
        {
            free.Push(buffer);
        }
    }

    /// <summary>Waits for every queued buffer to be hashed and returns the digest of all of them.</summary>
    public Digest Complete()
    {
        lock (queue)
        {
            completed = true;
            Monitor.PulseAll(queue);
        }

        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException("hashing the layer failed", failure);
        }

        return Digest.FromHashBytes(hash.GetHashAndReset());
    }

    public void Dispose()
    {
        lock (queue)
        {
            stopped = true;
            Monitor.PulseAll(queue);
        }

        thread.Join();
        while (queue.TryDequeue(out var left))
        {
            ArrayPool<byte>.Shared.Return(left.Buffer);
        }

        while (free.TryPop(out var unused))
        {
            ArrayPool<byte>.Shared.Return(unused);
        }

        hash.Dispose();
    }

    private void Run()
    {
        try
        {
            while (true)
            {
                (byte[] Buffer, int Count) item;
                lock (queue)
                {
                    while (queue.Count == 0 && !completed && !stopped)
                    {
                        Monitor.Wait(queue);
                    }

                    if (stopped || queue.Count == 0)
                    {
                        return;
                    }

                    item = queue.Dequeue();
                    Monitor.PulseAll(queue);
                }

                hash.AppendData(item.Buffer, 0, item.Count);
                lock (queue)
                {
                    free.Push(item.Buffer);
                    Monitor.PulseAll(queue);
                }
            }
        }
        catch (Exception e) when (e is CryptographicException or ObjectDisposedException)
        {
            lock (queue)
            {
                failure = e;
                stopped = true;
                Monitor.PulseAll(queue);
            }
        }
    }
}
