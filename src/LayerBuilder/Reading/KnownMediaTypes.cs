using LayerBuilder.Image;
using LayerBuilder.Layers;

namespace LayerBuilder.Reading;

/// <summary>The media types an image archive may use (OCI image-spec media-types.md and Docker's image
/// manifest v2 schema 2), what each one is, and the compression a layer type names.</summary>
internal static class KnownMediaTypes
{
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string DockerForeignLayerGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    public const string OciNondistributableLayer = "application/vnd.oci.image.layer.nondistributable.v1.tar";

    public static readonly IReadOnlySet<string> Indexes = new HashSet<string>(StringComparer.Ordinal) { MediaTypes.ImageIndex, DockerManifestList };

    public static readonly IReadOnlySet<string> Manifests = new HashSet<string>(StringComparer.Ordinal) { MediaTypes.ImageManifest, DockerManifest };

    public static readonly IReadOnlySet<string> Configs = new HashSet<string>(StringComparer.Ordinal) { MediaTypes.ImageConfig, DockerConfig };

    public static readonly IReadOnlySet<string> Layers = new HashSet<string>(StringComparer.Ordinal)
    {
        MediaTypes.Layer, MediaTypes.LayerGzip, MediaTypes.LayerZstd,
        OciNondistributableLayer, OciNondistributableLayer + "+gzip", OciNondistributableLayer + "+zstd",
        DockerLayer, DockerLayerGzip, DockerForeignLayerGzip,
    };

    public static LayerCompression CompressionOf(string mediaType) =>
        mediaType.EndsWith("+gzip", StringComparison.Ordinal) || mediaType.EndsWith(".tar.gzip", StringComparison.Ordinal) ? LayerCompression.Gzip
        : mediaType.EndsWith("+zstd", StringComparison.Ordinal) ? LayerCompression.Zstd
        : LayerCompression.None;
}
