namespace LayerBuilder.Archive;

/// <summary>The two save-format layouts (docs/archive-formats.md).</summary>
public enum ArchiveFormat
{
    /// <summary>Classic <c>docker save</c>: per-layer VERSION/json/layer.tar, config, manifest.json, repositories.</summary>
    Docker,

    /// <summary>Docker 25+: oci-layout, index.json, blobs/sha256, plus manifest.json.</summary>
    Oci,
}
