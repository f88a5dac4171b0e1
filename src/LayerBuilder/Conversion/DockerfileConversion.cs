using LayerBuilder.Diagnostics;

namespace LayerBuilder.Conversion;

/// <summary>What <see cref="DockerfileConverter.Convert"/> is asked to convert, and how the recipe it
/// writes names things the Dockerfile does not say.</summary>
public sealed record DockerfileConversionRequest
{
    /// <summary>The Dockerfile's text.</summary>
    public required string Text { get; init; }

    /// <summary>The Dockerfile as the user named it: diagnostics say <c>FILE:LINE:COL</c>.</summary>
    public string File { get; init; } = "Dockerfile";

    /// <summary>The build context on the host, where <c>ADD</c> sources are looked at to tell an archive
    /// (extracted) from any other file (copied); null to decide by the name alone.</summary>
    public string? ContextFolder { get; init; }

    /// <summary>The build context as a path relative to the recipe's folder (empty when the recipe is
    /// written into the context): every <c>COPY</c>/<c>ADD</c> source is written under it.</summary>
    public string ContextFromRecipe { get; init; } = "";

    /// <summary>The recipe's <c>image</c>: a Dockerfile names no repository.</summary>
    public string ImageName { get; init; } = "app";

    /// <summary>A save-format archive (host path as the recipe should hold it) that holds the image of
    /// <c>FROM</c>: the recipe then says <c>base: { image: ARCHIVE, ref: REFERENCE }</c> instead of
    /// <c>base: REFERENCE</c>.</summary>
    public string? BaseImageArchive { get; init; }

    /// <summary>Write the recipe even when instructions cannot be expressed; they are then warnings.</summary>
    public bool AllowPartial { get; init; }
}

/// <summary>The recipe a Dockerfile converts to, and every instruction that could not be expressed.</summary>
/// <param name="Recipe">The <c>layerbuild.yml</c> text; null when an error (without
/// <see cref="DockerfileConversionRequest.AllowPartial"/>, or a Dockerfile that cannot be read) stopped it.</param>
/// <param name="Diagnostics">Errors and warnings, each at its instruction (<c>Dockerfile:LINE:COL</c>).</param>
public sealed record DockerfileConversion(string? Recipe, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}
