namespace LayerBuilder.Recipe;

/// <summary>
/// A defect written on purpose into an otherwise correct image (recipe <c>faults:</c>, docs/fixtures.md
/// "Fixtures that break on purpose"), so consumers can be tested against bad images. The recipe spells
/// each one in kebab case (<c>layer-digest-mismatch</c>).
/// </summary>
public enum ImageFault
{
    /// <summary>The top layer is described with a diff id its bytes do not have (for an uncompressed layer,
    /// its digest too).</summary>
    LayerDigestMismatch,

    /// <summary>The manifests name the top layer, but the archive lacks its member.</summary>
    MissingLayer,

    /// <summary>The config member holds the config with its top-level keys in reverse order: the same
    /// JSON and size, other bytes, so it does not hash to the digest that names it.</summary>
    ConfigDigestMismatch,

    /// <summary>A layer on top holds a member named <c>../layerbuilder-fault-path-traversal</c>.</summary>
    PathTraversal,

    /// <summary>A layer on top holds a member named <c>/tmp/layerbuilder-fault-absolute-path</c>.</summary>
    AbsolutePath,

    /// <summary>A layer on top holds a symlink whose target climbs out of the root, then a file written
    /// through it.</summary>
    SymlinkEscape,

    /// <summary>The top layer's member holds only the first half of its bytes.</summary>
    TruncatedLayer,

    /// <summary>index.json names the image manifest, but its blob is not there (the <c>oci</c> format only).</summary>
    MissingManifest,
}
