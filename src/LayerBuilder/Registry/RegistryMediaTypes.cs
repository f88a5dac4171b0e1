using LayerBuilder.Image;

namespace LayerBuilder.Registry;

/// <summary>The manifest media types a registry serves (image-spec and Docker's image manifest v2 schema 2),
/// and the <c>Accept</c> header that asks for any of them. Schema 1 is named only to be refused.</summary>
internal static class RegistryMediaTypes
{
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string DockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json";
    public const string DockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /// <summary>Every manifest and index type LayerBuilder reads, for a manifest request's Accept header.</summary>
    public static readonly IReadOnlyList<string> Manifests = [MediaTypes.ImageIndex, MediaTypes.ImageManifest, DockerManifestList, DockerManifest];

    public static bool IsIndex(string? mediaType) => mediaType is MediaTypes.ImageIndex or DockerManifestList;

    public static bool IsManifest(string? mediaType) => mediaType is MediaTypes.ImageManifest or DockerManifest;

    public static bool IsSchema1(string? mediaType) => mediaType is DockerSchema1 or DockerSchema1Signed || (mediaType?.StartsWith("application/vnd.docker.distribution.manifest.v1", StringComparison.Ordinal) ?? false);
}
