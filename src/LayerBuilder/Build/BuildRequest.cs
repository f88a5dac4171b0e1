using LayerBuilder.Archive;
using LayerBuilder.Engine;
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

        return new(recipe, TemporaryOutput) { OutputStream = output };
    }

    /// <summary>The output path of a request that writes no file: only its folder is used, for staging.</summary>
    private static string TemporaryOutput => Path.Combine(Path.GetTempPath(), "layerbuild-stream.tar");

    /// <summary>A request that writes no archive file and loads the image into the docker engine
    /// <paramref name="engine"/> (default: the one <c>DOCKER_HOST</c> names); layers are staged in a temporary
    /// folder. Add <see cref="Push"/> to push it as well.</summary>
    public static BuildRequest ToEngine(BuildRecipe recipe, DockerHost? engine = null)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return new(recipe, TemporaryOutput) { WritesArchive = false, LoadInto = engine ?? DockerHost.FromEnvironment() };
    }

    /// <summary>A request that writes no archive file and pushes every tag of the image to the registry its
    /// name says; layers are staged in a temporary folder. Add <see cref="LoadInto"/> to load it as well.</summary>
    public static BuildRequest ToRegistry(BuildRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return new(recipe, TemporaryOutput) { WritesArchive = false, Push = true };
    }

    /// <summary>Whether an archive is written, to <see cref="OutputPath"/> or <see cref="OutputStream"/>:
    /// false for a request made by <see cref="ToEngine"/> or <see cref="ToRegistry"/>.</summary>
    public bool WritesArchive { get; private init; } = true;

    /// <summary>The docker engine the image is loaded into, as <c>docker load</c> would (docs/decisions.md
    /// D38); null: none. Set on a <see cref="ToFile"/> request, the archive is written as well.</summary>
    public DockerHost? LoadInto { get; init; }

    /// <summary>Push every tag of the image to the registry its name says (Docker Hub when it names none).</summary>
    public bool Push { get; init; }

    /// <summary>Compression of pushed layer blobs: gzip unless set (reproducible, so the same recipe pushes
    /// the same manifest digest).</summary>
    public LayerCompression PushCompression { get; init; } = LayerCompression.Gzip;

    public ArchiveFormat Format { get; init; } = ArchiveFormat.Docker;

    /// <summary>The one platform of a recipe with <c>platforms</c> to build (the command line's <c>--platform</c>):
    /// its image alone, as a recipe of that platform would make it, in any format. Null: every platform,
    /// into an image index (docs/recipe.md, "Several platforms").</summary>
    public Image.Platform? Platform { get; init; }

    /// <summary>Layer blob compression of the <c>oci</c> format (the <c>docker</c> format always stores plain tars).</summary>
    public Layers.LayerCompression Compression { get; init; } = Layers.LayerCompression.None;

    /// <summary>Folder for the layer files while the archive is assembled; default: beside the output.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>Reuse layers of unchanged steps and leave an unchanged archive untouched; null: no cache.</summary>
    public Cache.LayerCache? Cache { get; init; }

    /// <summary>Receives per-layer progress while layers are written (from worker threads).</summary>
    public IProgress<LayerProgress>? Progress { get; init; }

    /// <summary>Use only what the cache holds: no request goes to any registry, and a <c>base: REFERENCE</c>
    /// that was never pulled is an error (LB5011).</summary>
    public bool Offline { get; init; }

    /// <summary>Registries (<c>host</c> or <c>host:port</c>) that may be reached over plain HTTP or with a
    /// certificate that is not verified, as docker's <c>--insecure-registry</c> (docs/security.md).</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>Receives per-blob progress of registry transfers (from worker threads).</summary>
    public IProgress<TransferProgress>? TransferProgress { get; init; }

    /// <summary>Where certificates and credentials are read from; a test seam (default: the standard
    /// certs.d folders and the process's environment).</summary>
    internal Registry.RegistrySettings? RegistrySettings { get; init; }
    /// <summary>The image id (config digest) the build must produce: a fixture's digest pinned in its test.
    /// Another id fails the build with LB6011 before any byte of the archive is written.</summary>
    public Image.Digest? ExpectedImageId { get; init; }

    /// <summary>Called with the output path once the archive is renamed into place, before the build
    /// records it: a test seam for a rival build replacing the file in between.</summary>
    internal Action<string>? AfterOutputRenamed { get; init; }
}
