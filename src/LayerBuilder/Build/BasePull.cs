using LayerBuilder.Archive;
using LayerBuilder.Cache;
using LayerBuilder.Layers;
using LayerBuilder.Registry;

namespace LayerBuilder.Build;

/// <summary>How a build pulls a <c>base: REFERENCE</c>: its session (none when <c>--offline</c>), where the
/// pulled content goes (the layer cache, or the build's staging folder without one), and whether an output
/// reads the base's layer tars, which decides whether the pull makes them (docs/decisions.md D79).</summary>
internal static class BasePull
{
    public static RegistryPull For(BuildRequest request, RegistrySession? registries, BuildCache? cache, string staging, bool loads) =>
        new(request.Offline ? null : registries,
            cache is { IsOn: true } ? PulledBlobStore.InCache(cache.Store) : PulledBlobStore.InStaging(staging),
            request.TransferProgress,
            OutputsReadTars: OutputsReadTars(request, loads));

    /// <summary>Whether an output reads the base's layers as tars: a load (a docker archive stream), an
    /// archive of plain tars (<c>docker</c>, or <c>oci</c> uncompressed), a push of plain tars. An <c>oci</c>
    /// archive or a push with compressed layers takes a pulled layer's blob as it is (D78, D60) when the
    /// compression is the blob's; when it is not, the tar is made as the layer is compressed.</summary>
    private static bool OutputsReadTars(BuildRequest request, bool loads) =>
        loads
        || (request.WritesArchive && (request.Format != ArchiveFormat.Oci || request.Compression == LayerCompression.None))
        || (request.Push && request.PushCompression == LayerCompression.None);
}
