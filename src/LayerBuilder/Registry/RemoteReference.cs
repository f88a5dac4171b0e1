using System.Diagnostics.CodeAnalysis;
using LayerBuilder.Image;

namespace LayerBuilder.Registry;

/// <summary>
/// An image in a registry as Dockerfile <c>FROM</c> names one: <c>debian:12</c>, <c>127.0.0.1:5000/team/base:1</c>,
/// <c>registry.example/base@sha256:…</c>, <c>name:tag@sha256:…</c>. A digest wins over the tag (the tag is
/// then only kept for messages); no tag and no digest means <c>latest</c>.
/// </summary>
internal sealed record RemoteReference(ImageReference Name, string? Tag, Digest? Digest)
{
    public const string DefaultTag = "latest";

    public RegistryRepository Repository => RegistryRepository.For(Name);

    /// <summary>What the manifest request names: the digest when there is one, else the tag.</summary>
    public string ManifestReference => Digest?.ToString() ?? Tag ?? DefaultTag;

    public static bool TryParse(string text, [NotNullWhen(true)] out RemoteReference? reference, out string problem)
    {
        reference = null;
        problem = "";
        var name = text;
        Digest? digest = null;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!Image.Digest.TryParse(text[(at + 1)..], out var parsed))
            {
                problem = $"'{text[(at + 1)..]}' is not a digest: write sha256: and 64 lowercase hex digits";
                return false;
            }

            digest = parsed;
            name = text[..at];
        }

        string? tag = null;
        var colon = name.IndexOf(':', name.LastIndexOf('/') + 1);
        if (colon >= 0)
        {
            tag = name[(colon + 1)..];
            name = name[..colon];
            if (!ImageReference.IsValidTag(tag))
            {
                problem = $"tag '{tag}' is not valid: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'";
                return false;
            }
        }

        if (!ImageReference.TryParse(name, out var repository, out var repositoryProblem))
        {
            problem = repositoryProblem;
            return false;
        }

        reference = new RemoteReference(repository, tag, digest);
        return true;
    }

    /// <summary>As the user wrote it, normalized: <c>docker.io/library/debian:12</c>, <c>host/app@sha256:…</c>.</summary>
    public override string ToString()
    {
        var text = Digest is null ? $"{Name.Full}:{Tag ?? DefaultTag}" : Name.Full + (Tag is null ? "" : ":" + Tag);
        return Digest is { } digest ? $"{text}@{digest}" : text;
    }
}
