using System.Runtime.InteropServices;
using System.Text;
using LayerBuilder.FileSystem;
using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Push;

/// <summary>
/// What compressing a layer gave before: the digest and size of its compressed blob, by the layer's diff
/// id and the compression, kept in the layer cache (<c>compressed/FORMAT/DIFFID</c>). Compression is
/// deterministic (docs/decisions.md D38), so a known layer's pushed digest is known without compressing
/// it again, and a registry that has the blob costs no compression at all. The runtime that compressed is
/// part of the record: another runtime's zlib may write other bytes, and then the record does not count.
/// FORMAT names the byte layout, not only the kind: gzip's is <see cref="ParallelGzip.FormatName"/>
/// (D74), so records of the single-stream gzip made before it (<c>compressed/gzip/</c>) are never read.
/// </summary>
internal sealed class CompressedDigests(string root)
{
    /// <summary>The compressed digest and size of <paramref name="diffId"/>, if this runtime made them before.</summary>
    public (Digest Digest, long Size)? Find(Digest diffId, LayerCompression compression)
    {
        try
        {
            var file = PathOf(diffId, compression);
            if (!File.Exists(file))
            {
                return null;
            }

            var fields = File.ReadAllText(file).Split('\n');
            return fields.Length >= 3 && fields[0] == Runtime && Digest.TryParse(fields[1], out var digest) && long.TryParse(fields[2], out var size) && size > 0
                ? (digest, size)
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Records what compressing <paramref name="layer"/> gave. Best effort.</summary>
    public void Remember(ILayer layer, LayerCompression compression)
    {
        try
        {
            var file = PathOf(layer.DiffId, compression);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            AtomicFile.WriteAllBytes(file, Encoding.UTF8.GetBytes($"{Runtime}\n{layer.Digest}\n{layer.Size}\n"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a record that cannot be written only costs a later push a compression
        }
    }

    /// <summary>Forgets a record whose bytes could not be made again.</summary>
    public void Forget(Digest diffId, LayerCompression compression)
    {
        try
        {
            File.Delete(PathOf(diffId, compression));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the record is checked again when it is used
        }
    }

    private static string Runtime => RuntimeInformation.FrameworkDescription;

    private string PathOf(Digest diffId, LayerCompression compression) =>
        Path.Combine(root, "compressed", LayerCompressor.FormatName(compression), diffId.Hex);
}
