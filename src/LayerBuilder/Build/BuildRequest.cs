using LayerBuilder.Archive;
using LayerBuilder.Layers;
using LayerBuilder.Recipe;

namespace LayerBuilder.Build;

/// <summary>One build: a parsed recipe and where the archive goes. Front ends map their inputs to this.</summary>
public sealed record BuildRequest(BuildRecipe Recipe, string OutputPath)
{
    /// <summary>A stream that receives the archive instead of <see cref="OutputPath"/> (a pipe, a test's
    /// memory stream). Nothing is renamed into place then; the caller owns the stream.</summary>
    public Stream? OutputStream { get; init; }

    /// <summary>A request that writes the archive to the file <paramref name="path"/> (a temporary file beside
    /// it is renamed into place); layers are staged beside it.</summary>
    public static BuildRequest ToFile(BuildRecipe recipe, string path)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new(recipe, path);
    }

    /// <summary>A request that writes the archive to <paramref name="output"/>; layers are staged in a temporary folder.</summary>
    public static BuildRequest ToStream(BuildRecipe recipe, Stream output)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanWrite)
        {
            throw new ArgumentException("the stream cannot be written", nameof(output));
        }

        return new(recipe, Path.Combine(Path.GetTempPath(), "layerbuild-stream.tar")) { OutputStream = output };
    }

    public ArchiveFormat Format { get; init; } = ArchiveFormat.Docker;

    /// <summary>Layer blob compression of the <c>oci</c> format (the <c>docker</c> format always stores plain tars).</summary>
    public Layers.LayerCompression Compression { get; init; } = Layers.LayerCompression.None;

    /// <summary>Folder for the layer files while the archive is assembled; default: beside the output.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>Reuse layers of unchanged steps and leave an unchanged archive untouched; null: no cache.</summary>
    public Cache.LayerCache? Cache { get; init; }

    /// <summary>Receives per-layer progress while layers are written (from worker threads).</summary>
    public IProgress<LayerProgress>? Progress { get; init; }

    /// <summary>The image id (config digest) the build must produce: a fixture's digest pinned in its test.
    /// Another id fails the build with LB6011 before any byte of the archive is written.</summary>
    public Image.Digest? ExpectedImageId { get; init; }

    /// <summary>Called with the output path once the archive is renamed into place, before the build
    /// records it: a test seam for a rival build replacing the file in between.</summary>
    internal Action<string>? AfterOutputRenamed { get; init; }
}
