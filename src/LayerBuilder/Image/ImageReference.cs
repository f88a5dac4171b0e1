using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Image;

/// <summary>
/// A repository name (distribution reference grammar, without tag or digest) and its two spellings:
/// the full normalized form containerd uses (<c>docker.io/library/hello</c>) and the familiar form
/// Docker writes into manifest.json and repositories (<c>hello</c>).
/// </summary>
public sealed partial record ImageReference
{
    private ImageReference(string familiar, string full)
    {
        Familiar = familiar;
        Full = full;
    }

    public string Familiar { get; }

    public string Full { get; }

    /// <summary>Parses a repository name (<c>hello</c>, <c>example/hello</c>, <c>localhost:5000/app</c>);
    /// one that is not valid is a <see cref="LayerBuildException"/> with LB1010, as in a recipe.</summary>
    public static ImageReference Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TryParse(name, out var reference, out var problem))
        {
            return reference;
        }

        throw new LayerBuildException(DiagnosticCodes.InvalidImageName, SourcePosition.InCode("image name"),
            $"image name '{name}' is not valid: {problem}");
    }

    /// <summary>Parses a repository name; false (and null) when it is not valid.</summary>
    public static bool TryParse([NotNullWhen(true)] string? name, [NotNullWhen(true)] out ImageReference? reference)
    {
        reference = name is not null && TryParse(name, out var parsed, out _) ? parsed : null;
        return reference is not null;
    }

    /// <summary>Parses a repository name; when it is not valid, <paramref name="problem"/> says why.</summary>
    public static bool TryParse(string name, out ImageReference reference, out string problem)
    {
        reference = null!;
        problem = "";
        if (name.Length == 0)
        {
            problem = "the name is empty";
            return false;
        }

        if (name.Contains('@') || LooksTagged(name))
        {
            problem = "the name must not carry a tag or digest; put tags under 'tags'";
            return false;
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? null : name[..slash];
        var hasDomain = first is not null && (first.Contains('.') || first.Contains(':') || first == "localhost");
        var path = hasDomain ? name[(slash + 1)..] : name;
        if (hasDomain && !Domain().IsMatch(first!))
        {
            problem = $"'{first}' is not a valid registry host";
            return false;
        }

        if (!PathGrammar().IsMatch(path))
        {
            problem = "repository names use lowercase letters, digits and separators (. _ __ - /) between them";
            return false;
        }

        if (name.Length > 255)
        {
            problem = "the name is longer than 255 characters";
            return false;
        }

        string full;
        if (hasDomain)
        {
            full = name;
        }
        else
        {
            full = path.Contains('/') ? "docker.io/" + path : "docker.io/library/" + path;
        }

        var familiar = full.StartsWith("docker.io/library/", StringComparison.Ordinal) && full.Count(c => c == '/') == 2
            ? full["docker.io/library/".Length..]
            : full.StartsWith("docker.io/", StringComparison.Ordinal) ? full["docker.io/".Length..] : full;
        reference = new ImageReference(familiar, full);
        return true;
    }

    public static bool IsValidTag(string tag) => Tag().IsMatch(tag);

    private static bool LooksTagged(string name)
    {
        var lastSlash = name.LastIndexOf('/');
        return name.IndexOf(':', lastSlash + 1) >= 0;
    }

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex PathGrammar();

    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$")]
    private static partial Regex Domain();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex Tag();
}
