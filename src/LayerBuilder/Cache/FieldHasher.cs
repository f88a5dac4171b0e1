using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using LayerBuilder.FileSystem;

namespace LayerBuilder.Cache;

/// <summary>
/// SHA-256 over a sequence of fields, each framed so no two sequences share bytes: numbers as 8 bytes
/// little-endian, text as UTF-8 and bytes each after their length. Fields gather in a pooled 64 KiB
/// buffer that is hashed when full: a layer's key covers 100,000 entries of a dozen fields, and one
/// hash call per field costs more than the hashing itself.
/// </summary>
internal sealed class FieldHasher : IDisposable
{
    private const int Capacity = 64 * 1024;

    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(Capacity);
    private int used;

    public void Add(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(Reserve(sizeof(long)), value);
        used += sizeof(long);
    }

    public void Add(ulong value) => Add(unchecked((long)value));

    public void Add(string text) => Add(text.AsSpan());

    public void Add(ReadOnlySpan<char> text)
    {
        var most = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (sizeof(int) + most > Capacity)
        {
            Add(TarText.GetBytes(text.ToString()).AsSpan()); // longer than the whole buffer: rare enough to allocate
            return;
        }

        // Names as the tar holds them: a byte that is not UTF-8 (docs/recipe.md) hashes as itself.
        var into = Reserve(sizeof(int) + most);
        TarText.TryGetBytes(text, into[sizeof(int)..], out var length);
        BinaryPrimitives.WriteInt32LittleEndian(into, length);
        used += sizeof(int) + length;
    }

    public void Add(ReadOnlySpan<byte> bytes)
    {
        BinaryPrimitives.WriteInt32LittleEndian(Reserve(sizeof(int)), bytes.Length);
        used += sizeof(int);
        if (bytes.Length > Capacity - used)
        {
            Flush();
            hash.AppendData(bytes);
            return;
        }

        bytes.CopyTo(buffer.AsSpan(used));
        used += bytes.Length;
    }

    /// <summary>The hash of every field added.</summary>
    public byte[] Finish()
    {
        Flush();
        return hash.GetHashAndReset();
    }

    public void Dispose()
    {
        hash.Dispose();
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
        }
    }

    /// <summary>A free span of at least <paramref name="size"/> bytes (at most <see cref="Capacity"/>).</summary>
    private Span<byte> Reserve(int size)
    {
        if (size > Capacity - used)
        {
            Flush();
        }

        return buffer.AsSpan(used, Capacity - used);
    }

    private void Flush()
    {
        hash.AppendData(buffer, 0, used);
        used = 0;
    }
}
