using LayerBuilder.Base;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Reading;

/// <summary>
/// An image archive read back: a save-format archive (classic <c>docker save</c>, Docker 25+ and
/// LayerBuilder's <c>oci</c> format, <c>podman save</c>, skopeo's docker-archive and oci-archive; plain or
/// gzip-compressed as a whole) or an OCI layout folder. Opening reads the metadata of every image; layers
/// are read only when asked for, streaming. Everything goes through the hardened readers the build uses
/// for its inputs (docs/security.md); bad input is a <see cref="LayerBuildException"/> naming the archive
/// and the member (docs/diagnostics.md).
/// </summary>
public sealed class ImageArchive
{
    private readonly ArchiveContents contents;
    private readonly ImageListing listing;

    private ImageArchive(ArchiveContents contents, ImageListing listing)
    {
        this.contents = contents;
        this.listing = listing;
    }

    /// <summary>The archive file or layout folder.</summary>
    public string Path => contents.Path;

    /// <summary>Every image the archive holds, in the order manifest.json or index.json lists them.</summary>
    public IReadOnlyList<ArchivedImage> Images => listing.Images;

    /// <summary>Opens an archive or layout and reads the metadata of its images.</summary>
    /// <param name="path">A tar, a gzip-compressed tar, or a folder.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <exception cref="LayerBuildException">The path is missing (LB2001) or no archive (LB2024); the archive is
    /// damaged or hostile (LB2012, LB2014, LB2022, LB2023); its metadata is invalid or names what is not
    /// there (LB2019); a config or manifest does not match its digest (LB2018).</exception>
    public static async Task<ImageArchive> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var contents = await ArchiveContents.OpenArchiveAsync(path, cancellationToken).ConfigureAwait(false);
        var listing = await ImageListing.ReadAsync(contents, cancellationToken).ConfigureAwait(false);
        if (listing.Findings.FirstOrDefault(f => f.OpenCode is not null) is { OpenCode: { } code } unreadable)
        {
            throw new LayerBuildException(code, contents.Position, unreadable.Message);
        }

        return new ImageArchive(contents, listing);
    }

    /// <summary>
    /// Checks the whole archive: every blob's bytes against its descriptor's digest and size, every layer's
    /// uncompressed bytes against the config's diff id, counts, the agreement of manifest.json, index.json,
    /// the manifests, the configs and the classic <c>repositories</c> file, media types, and that every
    /// layer tar passes the hardened reader. One streaming pass per blob.
    /// </summary>
    /// <param name="path">A tar, a gzip-compressed tar, or a folder.</param>
    /// <param name="cancellationToken">Stops the check.</param>
    /// <returns>One LB4xxx diagnostic per problem found; empty when the archive is valid.</returns>
    /// <exception cref="LayerBuildException">The path is missing, is no archive, or its tar is damaged or hostile.</exception>
    public static async Task<IReadOnlyList<Diagnostic>> ValidateAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var contents = await ArchiveContents.OpenArchiveAsync(path, cancellationToken).ConfigureAwait(false);
        var listing = await ImageListing.ReadAsync(contents, cancellationToken).ConfigureAwait(false);
        return await ImageValidator.ValidateAsync(contents, listing, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc cref="ValidateAsync(string, CancellationToken)"/>
    public Task<IReadOnlyList<Diagnostic>> ValidateAsync(CancellationToken cancellationToken = default) =>
        ImageValidator.ValidateAsync(contents, listing, cancellationToken);

    /// <summary>The image with that name (<c>hello</c>, <c>hello:latest</c> and <c>docker.io/library/hello:latest</c>
    /// name the same image); null when none has it.</summary>
    public ArchivedImage? FindImage(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var key = BaseImageReader.Normalize(name);
        return Images.FirstOrDefault(i => i.Names.Any(n => n == name || BaseImageReader.Normalize(n) == key));
    }

    /// <summary>Every image that a reference names: one of its names (as <see cref="FindImage"/> matches them),
    /// its image id, its manifest's digest, or the digest of the image index it belongs to (then every
    /// platform of that index is returned, in the index's order). Empty when none matches.</summary>
    public IReadOnlyList<ArchivedImage> FindImages(string reference)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var key = BaseImageReader.Normalize(reference);
        return Images.Where(i => i.Names.Any(n => n == reference || BaseImageReader.Normalize(n) == key)
            || i.Id.ToString() == reference || i.Manifest?.Digest.ToString() == reference || i.Index?.Digest.ToString() == reference).ToList();
    }

    public override string ToString() => contents.Description;
}
