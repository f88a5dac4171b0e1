using LayerBuilder.Build;
using LayerBuilder.Cache;
using LayerBuilder.Diagnostics;
using LayerBuilder.Engine;
using LayerBuilder.Recipe;

namespace LayerBuilder.Tool;

/// <summary>Runs one build for the CLI and reports it: results on stdout, diagnostics on stderr.</summary>
public sealed class BuildRunner(TextWriter stdout, TextWriter stderr)
{
    public async Task<int> RunAsync(BuildOptions options, CancellationToken cancellationToken)
    {
        try
        {
            var recipe = RecipeParser.ParseFile(options.Recipe, new RecipeOptions
            {
                Args = options.Args,
                Tags = options.Tags,
                Created = options.Created,
                SourceDateEpoch = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"),
            });
            var expected = ExpectedImageId(options.ExpectImageId);
            var chosenPlatform = ChosenPlatform(options.Platform);

            // "-o -" streams the archive to stdout (`dotnet layerbuild -o - | docker load`); the report then goes to stderr.
            var toStdout = options.Output == "-";
            var outputPath = options.Output ?? recipe.Image.Value.Familiar.Split('/')[^1] + ".tar";
            BuildResult result;
            await using (var pipe = toStdout ? StandardOutputArchiveStream.Open() : null)
            using (var progress = options.Quiet ? null : new ProgressDisplay(stderr, interactive: !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error)))
            {
                var request = Request(options, recipe, outputPath, pipe);
                result = await ImageBuilder.BuildAsync(
                    request with
                    {
                        Format = options.Format,
                        Compression = options.Compression,
                        Cache = options.NoCache ? null : LayerCache.Default(),
                        Progress = progress,
                        Push = options.Push,
                        PushCompression = options.PushCompression,
                        LoadInto = options.Load ? DockerHost.FromEnvironment() : null,
                        TransferProgress = progress,
                        Offline = options.Offline,
                        InsecureRegistries = options.InsecureRegistries,
                        ExpectedImageId = expected,
                        Platform = chosenPlatform,
                    },
                    cancellationToken).ConfigureAwait(false);
            }

            foreach (var warning in result.Warnings)
            {
                await stderr.WriteLineAsync(Line(warning)).ConfigureAwait(false);
            }

            if (!options.Quiet)
            {
                await ReportAsync(result, toStdout ? stderr : stdout, toStdout ? "standard output" : result.OutputPath, options.WritesArchive).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }
        catch (LayerBuildException e)
        {
            foreach (var diagnostic in e.Diagnostics)
            {
                await stderr.WriteLineAsync(Line(diagnostic)).ConfigureAwait(false);
            }

            return e.Diagnostics.Any(d => d.Code.Number is >= 3000 and < 4000) ? ExitCodes.OutputFailed : ExitCodes.InvalidInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The build has removed its partial archive, staging folder and cache temporaries by now (its
            // finally blocks ran before the exception reached here); bytes already streamed cannot be taken back.
            var outcome = options.Output == "-" ? $"the archive on {StandardOutputArchiveStream.Name} is incomplete" : "nothing was written";
            await stderr.WriteLineAsync($"error {DiagnosticCodes.Cancelled.Id}: build cancelled; {outcome}").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug, not a user error: say so briefly; the stack trace is for --verbose.
            await stderr.WriteLineAsync($"error {DiagnosticCodes.Internal.Id}: internal error: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            if (options.Verbose)
            {
                await stderr.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }
            else
            {
                await stderr.WriteLineAsync("Run again with --verbose for details, and please report it.").ConfigureAwait(false);
            }

            return ExitCodes.Internal;
        }
    }

    /// <summary>Where the archive goes: a file, standard output, or nowhere (--push or --load without -o).</summary>
    private static BuildRequest Request(BuildOptions options, BuildRecipe recipe, string outputPath, Stream? pipe)
    {
        if (pipe is not null)
        {
            return BuildRequest.ToStream(recipe, pipe);
        }

        if (options.WritesArchive)
        {
            return BuildRequest.ToFile(recipe, outputPath);
        }

        return options.Load ? BuildRequest.ToEngine(recipe) : BuildRequest.ToRegistry(recipe);
    }

    /// <summary>The parsed <c>--platform</c>; a malformed one is LB1012 before anything is built.</summary>
    private static Image.Platform? ChosenPlatform(string? text) =>
        text is null ? null
        : Image.Platform.TryParse(text, out var platform) ? platform
        : throw new LayerBuildException(DiagnosticCodes.InvalidPlatform, SourcePosition.StartOf("--platform"),
            $"--platform '{text}' is not os/architecture[/variant] (for example linux/amd64 or linux/arm64)");

    /// <summary>The parsed <c>--expect-image-id</c>; a malformed one is LB1048 before anything is built.</summary>
    private static Image.Digest? ExpectedImageId(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return Image.Digest.TryParse(text, out var digest)
            ? digest
            : throw new LayerBuildException(DiagnosticCodes.InvalidImageId, SourcePosition.StartOf("--expect-image-id"),
                $"--expect-image-id '{text}' is not an image id: write sha256: and 64 lowercase hex digits, as 'docker images --no-trunc' shows");
    }

    /// <summary>The CLI form of a diagnostic; one about no file (standard output) has no position.</summary>
    internal static string Line(Diagnostic diagnostic) => string.IsNullOrEmpty(diagnostic.Position.File)
        ? $"{(diagnostic.Severity == Severity.Error ? "error" : "warning")} {diagnostic.Code.Id}: {diagnostic.Message}"
        : diagnostic.ToCliString();

    private static async Task ReportAsync(BuildResult result, TextWriter output, string destination, bool wroteArchive)
    {
        await output.WriteLineAsync($"Image id:  {result.ImageId}").ConfigureAwait(false);
        if (wroteArchive)
        {
            // The archive's manifest; a push prints its own below (its layers may be compressed otherwise).
            await output.WriteLineAsync($"Manifest:  {result.ManifestDigest}").ConfigureAwait(false);
        }

        if (result.IndexDigest is { } index && wroteArchive)
        {
            await output.WriteLineAsync($"Index:     {index}").ConfigureAwait(false);
        }

        foreach (var image in result.Platforms)
        {
            await output.WriteLineAsync($"Platform:  {image.Platform}  {image.ImageId}  manifest {image.ManifestDigest}").ConfigureAwait(false);
        }

        foreach (var tag in result.RepoTags)
        {
            await output.WriteLineAsync($"Tag:       {tag}").ConfigureAwait(false);
        }

        foreach (var layer in result.Layers)
        {
            // A registry base layer stored as the registry's blob was never unpacked: its tar's length is not known.
            var size = layer.Size is { } bytes ? $"{bytes,12:N0} bytes" : "   as pulled      ";
            await output.WriteLineAsync($"Layer:     {layer.DiffId}  {size}  {layer.CreatedBy}").ConfigureAwait(false);
        }

        foreach (var line in result.Loaded)
        {
            await output.WriteLineAsync(line).ConfigureAwait(false);
        }

        foreach (var reference in result.Pushed)
        {
            await output.WriteLineAsync($"Pushed:    {reference}@{result.PushedManifestDigest}").ConfigureAwait(false);
        }

        if (wroteArchive)
        {
            await output.WriteLineAsync(result.Unchanged ? $"Unchanged: {destination}" : $"Wrote:     {destination}").ConfigureAwait(false);
        }
    }
}
