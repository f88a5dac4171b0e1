using LayerBuilder.Diagnostics;
using LayerBuilder.Image;
using LayerBuilder.Reading;

namespace LayerBuilder.Tool;

/// <summary>
/// What <c>--image</c> and <c>--platform</c> choose in an archive (docs/commands.md, "Choosing an image";
/// docs/decisions.md D73): a reference is one image, or an image index with its platforms. One reference
/// and one image is that image; one index and no platform is the index, which <c>inspect</c> lists; anything
/// else that leaves no single choice is LB1057 with the choices a user can type.
/// </summary>
internal sealed record ImageChoice(IReadOnlyList<ArchivedImage> Images)
{
    /// <summary>The one image chosen, or null when the choice is an image index of several platforms.</summary>
    public ArchivedImage? Single => Images.Count == 1 ? Images[0] : null;

    /// <summary>The names of every platform's image, each once, in order.</summary>
    public IReadOnlyList<string> Names => Images.SelectMany(i => i.Names).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The index the chosen platforms belong to; only read when <see cref="Single"/> is null.</summary>
    public Descriptor Index => Images[0].Index!;

    /// <summary>Chooses by reference (a name, an image id, a manifest or index digest) and by platform.</summary>
    /// <param name="archive">The archive to choose in.</param>
    /// <param name="reference">The <paramref name="imageOption"/> value, or null.</param>
    /// <param name="platform">The <paramref name="platformOption"/> value (<c>os/arch[/variant]</c>), or null.</param>
    /// <param name="imageOption">The option that names a reference, as messages call it.</param>
    /// <param name="platformOption">The option that names a platform, as messages call it.</param>
    public static ImageChoice Choose(ImageArchive archive, string? reference, string? platform, string imageOption = "--image", string platformOption = "--platform")
    {
        var wanted = platform is null ? null
            : Platform.TryParse(platform, out var parsed) ? parsed
            : throw Error(archive, $"'{platform}' is no platform; {platformOption} takes os/arch[/variant], as linux/arm64 or linux/arm/v7");
        var candidates = reference is null ? archive.Images : archive.FindImages(reference);
        if (archive.Images.Count == 0)
        {
            throw Error(archive, $"{archive} holds no image");
        }

        if (candidates.Count == 0)
        {
            throw Error(archive, $"{archive} has no image named '{reference}'; it has {Choices(archive.Images, platformOption)}");
        }

        var references = References(candidates);
        if (references.Count > 1)
        {
            throw Error(archive, $"{archive} holds {references.Count} images; choose one with {imageOption}: {Choices(candidates, platformOption)}");
        }

        var images = references[0];
        if (wanted is null)
        {
            return new ImageChoice(images);
        }

        var matching = images.Where(i => i.Platform == wanted).ToList();
        if (matching.Count == 0 && wanted.Variant is null)
        {
            matching = images.Where(i => i.Platform.Os == wanted.Os && i.Platform.Architecture == wanted.Architecture).ToList();
        }

        return matching.Count switch
        {
            1 => new ImageChoice(matching),
            0 => throw Error(archive, $"{Describe(images)} in {archive} has no platform {wanted}; it has {Platforms(images)}"),
            _ => throw Error(archive, $"{Describe(images)} in {archive} has {matching.Count} platforms {wanted}; choose one with {platformOption}: {Platforms(matching)}"),
        };
    }

    /// <summary>The one image a command that reads one image (diff) needs: an index of several platforms is
    /// LB1057 listing them.</summary>
    public ArchivedImage One(ImageArchive archive, string platformOption = "--platform") =>
        Single ?? throw Error(archive, $"{Describe(Images)} in {archive} is an image index of {Images.Count} platforms; choose one with {platformOption}: {Platforms(Images)}");

    /// <summary>The images grouped by reference: an index's platforms together, every other image alone, in
    /// the archive's order.</summary>
    private static List<List<ArchivedImage>> References(IReadOnlyList<ArchivedImage> images)
    {
        var groups = new List<List<ArchivedImage>>();
        var byIndex = new Dictionary<Digest, List<ArchivedImage>>();
        foreach (var image in images)
        {
            if (image.Index is not { } index)
            {
                groups.Add([image]);
            }
            else if (byIndex.TryGetValue(index.Digest, out var group))
            {
                group.Add(image);
            }
            else
            {
                byIndex[index.Digest] = [image];
                groups.Add(byIndex[index.Digest]);
            }
        }

        return groups;
    }

    /// <summary>Each reference as a user can type it (its first name, else its index digest or image id),
    /// an index with the platforms it offers.</summary>
    private static string Choices(IReadOnlyList<ArchivedImage> images, string platformOption) =>
        string.Join(", ", References(images).Select(group =>
            group[0].Index is null ? Typed(group)
                : $"{Typed(group)} (an image index; {platformOption} {string.Join(" or ", group.Select(i => i.Platform.ToString()).Distinct(StringComparer.Ordinal))})"));

    private static string Typed(List<ArchivedImage> group) =>
        group.SelectMany(i => i.Names).FirstOrDefault() ?? (group[0].Index?.Digest ?? group[0].Id).ToString();

    private static string Describe(IReadOnlyList<ArchivedImage> images) =>
        images.SelectMany(i => i.Names).FirstOrDefault() is { } name ? $"'{name}'" : images[0].Index is { } index ? $"the image index {index.Digest}" : images[0].ToString();

    private static string Platforms(IReadOnlyList<ArchivedImage> images) =>
        string.Join(", ", images.Select(i => i.Platform.ToString()));

    private static LayerBuildException Error(ImageArchive archive, string message) =>
        new(DiagnosticCodes.ImageNotInArchive, SourcePosition.StartOf(archive.Path), message);
}
