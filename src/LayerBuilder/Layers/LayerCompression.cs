namespace LayerBuilder.Layers;

/// <summary>How layer blobs of the <c>oci</c> format are stored. The config's diff ids are always the
/// uncompressed digests; compressed blobs get the OCI <c>+gzip</c> or <c>+zstd</c> media types.</summary>
public enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}
