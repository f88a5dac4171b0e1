using LayerBuilder.Diagnostics;
using LayerBuilder.Image;

namespace LayerBuilder.Build;

/// <summary>What a build produced: the identities tests and later build steps need.</summary>
public sealed record BuildResult
{
    /// <summary>sha256 of the config: what <c>docker images --no-trunc</c> shows as the id.</summary>
    public required Digest ImageId { get; init; }

    /// <summary>sha256 of the OCI manifest (the digest a registry would report).</summary>
    public required Digest ManifestDigest { get; init; }

    /// <summary>sha256 of the OCI image index over every platform's manifest, for a recipe with several
    /// platforms (docs/recipe.md, "Several platforms"): what the tags name in the <c>oci</c> layout and in
    /// the registry. Null for an image of one platform. <see cref="ImageId"/>, <see cref="ManifestDigest"/>
    /// and <see cref="Layers"/> are then the first platform's.</summary>
    public Digest? IndexDigest { get; init; }

    /// <summary>Each platform's image, in the recipe's order; empty for an image of one platform.</summary>
    public IReadOnlyList<PlatformImage> Platforms { get; init; } = [];

    /// <summary>Full names (<c>docker.io/library/hello:latest</c>).</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>Names as manifest.json RepoTags carry them (<c>hello:latest</c>).</summary>
    public required IReadOnlyList<string> RepoTags { get; init; }

    public required IReadOnlyList<LayerSummary> Layers { get; init; }

    /// <summary>The archive written; empty when the request wrote none (<see cref="BuildRequest.ToEngine"/>,
    /// <see cref="BuildRequest.ToRegistry"/>).</summary>
    public required string OutputPath { get; init; }

    /// <summary>What the docker engine reported for a load (<c>Loaded image: app:1</c>); empty without one.</summary>
    public IReadOnlyList<string> Loaded { get; init; } = [];

    /// <summary>The digest of the manifest pushed under every tag, as the registry serves it; null without a push.
    /// It differs from <see cref="ManifestDigest"/> when the archive's layers are stored otherwise than the pushed ones.</summary>
    public Digest? PushedManifestDigest { get; init; }

    /// <summary>The references pushed (<c>127.0.0.1:5000/team/app:1</c>); empty without a push.</summary>
    public IReadOnlyList<string> Pushed { get; init; } = [];

    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];

    /// <summary>The archive already held exactly these bytes and was left untouched.</summary>
    public bool Unchanged { get; init; }
}

/// <summary>One layer of the result: its diff id, the length of its uncompressed tar, and what made it. The
/// length is null for a registry base layer whose tar the build never needed (an <c>oci</c> archive or a
/// push that takes the registry's blob as it is): it is known only by decompressing the blob
/// (docs/decisions.md D79).</summary>
public sealed record LayerSummary(Digest DiffId, long? Size, string CreatedBy);

/// <summary>One platform's image in an index: its platform, image id and manifest digest.</summary>
public sealed record PlatformImage(Platform Platform, Digest ImageId, Digest ManifestDigest);
