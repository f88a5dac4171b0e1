namespace LayerBuilder.Image;

/// <summary>OCI media types (image-spec specs-go/v1/mediatype.go). Only OCI types are written: umoci and
/// containers/image reject Docker types in an OCI layout.</summary>
public static class MediaTypes
{
    public const string ImageIndex = "application/vnd.oci.image.index.v1+json";
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string ImageConfig = "application/vnd.oci.image.config.v1+json";
    public const string Layer = "application/vnd.oci.image.layer.v1.tar";
    public const string LayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string LayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
}
