using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Layers;
using Microsoft.Win32.SafeHandles;

namespace LayerBuilder.Registry;

/// <summary>
/// The uncompressed tar of a pulled base layer whose compressed blob the store keeps (D60) but whose tar
/// was not made when it was pulled (docs/decisions.md D79): a build that stores or pushes the blob as it is
/// never needs the tar. The tar is made from the kept blob the first time something reads it (the plan's
/// view of the base, an archive of plain tars, a load, another compression), by the same unpacking a
/// download does, and checked against the config's diff id before it is stored: a tar of another digest
/// is LB5008 and a blob that does not decompress LB5016, and nothing is stored either way. The blob is
/// checked against its own digest (D61) before it is read.
/// </summary>
internal sealed class PulledLayerTar : LayerBlob
{
    private readonly PulledBlobStore store;
    private readonly string what;
    private readonly SourcePosition at;
    private readonly CancellationToken buildCancellation;
    private readonly Lazy<Task<FileLayer>> made;

    /// <param name="store">Where the tar is stored once made.</param>
    /// <param name="blob">The kept compressed blob the tar is made from.</param>
    /// <param name="what">The layer as errors name it (<c>blob sha256:… (layer 2) of 'team/base'</c>).</param>
    /// <param name="at">The recipe's base, where errors point.</param>
    /// <param name="cancellationToken">The build's: a tar made for a synchronous reader stops with the build.</param>
    public PulledLayerTar(PulledBlobStore store, PulledLayerBlob blob, string what, SourcePosition at, CancellationToken cancellationToken)
    {
        this.store = store;
        this.what = what;
        this.at = at;
        buildCancellation = cancellationToken;
        Blob = blob;
        made = new Lazy<Task<FileLayer>>(MakeAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The kept compressed blob the tar is made from.</summary>
    public PulledLayerBlob Blob { get; }

    public override Digest Digest => Blob.DiffId;

    public override Digest DiffId => Blob.DiffId;

    public override string MediaType => MediaTypes.Layer;

    /// <summary>The tar's length: it is made to know it.</summary>
    public override long Size => Tar().Size;

    /// <summary>Null until the tar is made: its length is not known without decompressing the blob.</summary>
    public override long? KnownSize => made.IsValueCreated && made.Value.IsCompletedSuccessfully ? made.Value.Result.Size : null;

    public override (string Path, long Offset)? TarFile => Tar().TarFile;

    /// <summary>The tar, made from the blob and checked the first time it is asked for.</summary>
    public Task<FileLayer> TarAsync(CancellationToken cancellationToken) => made.Value.WaitAsync(cancellationToken);

    public override async Task<LayerBlob> ReadableAsync(CancellationToken cancellationToken) =>
        await TarAsync(cancellationToken).ConfigureAwait(false);

    public override async Task<Stream> OpenBlobAsync(CancellationToken cancellationToken = default) =>
        (await TarAsync(cancellationToken).ConfigureAwait(false)).OpenBlob();

    public override Stream OpenBlob() => Tar().OpenBlob();

    public override void CopyInto(SafeFileHandle output, long offset, CancellationToken cancellationToken) => Tar().CopyInto(output, offset, cancellationToken);

    /// <summary>The tar for a synchronous reader. The build makes every tar it reads asynchronously before
    /// it reads it (<see cref="ReadableAsync"/>); this is the fallback, correct if slower.</summary>
    private FileLayer Tar() => made.Value.GetAwaiter().GetResult();

    private async Task<FileLayer> MakeAsync()
    {
        // Off the caller's flow at once: the lazy's lock is not held while the blob is decompressed.
        await Task.Yield();
        var cancellationToken = buildCancellation;
        var blob = await Blob.CheckedAsync(cancellationToken).ConfigureAwait(false);
        if (store.Find(DiffId) is { } stored && await store.IsIntactAsync(stored, DiffId, cancellationToken).ConfigureAwait(false))
        {
            return new FileLayer(stored, DiffId, new FileInfo(stored).Length); // another build made it meanwhile
        }

        string? temporary = null;
        try
        {
            (Digest Digest, long Size) tar;
            (temporary, var output) = store.CreateTemporary();
            await using (output.ConfigureAwait(false))
            {
                var compressed = blob.OpenBlob();
                await using (compressed.ConfigureAwait(false))
                {
                    try
                    {
                        tar = await LayerUnpacking.UnpackAsync(compressed, output, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (LayerUnpacking.IsUnreadable(e))
                    {
                        throw new LayerBuildException(DiagnosticCodes.BaseLayerUnreadable, at,
                            $"{what} matches its digest but is not a readable gzip, zstd or plain tar: {e.Message}");
                    }
                }
            }

            if (tar.Digest != DiffId)
            {
                throw new LayerBuildException(DiagnosticCodes.RegistryDigestMismatch, at,
                    $"{what} unpacks to a tar with sha256 {tar.Digest}, but the config's diff id is {DiffId}; the tar was not stored");
            }

            return new FileLayer(store.Commit(temporary, DiffId), DiffId, tar.Size);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw store.NotWritable(e, at);
        }
        finally
        {
            if (temporary is not null)
            {
                File.Delete(temporary);
            }
        }
    }
}
