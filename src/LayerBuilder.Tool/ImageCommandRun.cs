using LayerBuilder.Diagnostics;
using LayerBuilder.Reading;

namespace LayerBuilder.Tool;

/// <summary>
/// What the image commands (inspect, verify, diff) share: opening an archive, picking its image, and
/// turning a failure into diagnostics on standard error and an exit code, never a stack trace.
/// </summary>
internal sealed class ImageCommandRun(TextWriter stderr)
{
    /// <summary>The image named <paramref name="name"/>, or the archive's only image (LB1057 when there
    /// are several and none is named, or the name matches none).</summary>
    public static ArchivedImage Pick(ImageArchive archive, string? name)
    {
        if (name is not null)
        {
            return archive.FindImage(name) ?? throw new LayerBuildException(DiagnosticCodes.ImageNotInArchive, SourcePosition.StartOf(archive.Path),
                $"{archive} has no image named '{name}'; it has {Names(archive)}");
        }

        return archive.Images.Count switch
        {
            1 => archive.Images[0],
            0 => throw new LayerBuildException(DiagnosticCodes.ImageNotInArchive, SourcePosition.StartOf(archive.Path), $"{archive} holds no image"),
            _ => throw new LayerBuildException(DiagnosticCodes.ImageNotInArchive, SourcePosition.StartOf(archive.Path),
                $"{archive} holds {archive.Images.Count} images ({Names(archive)}); name one with --image"),
        };
    }

    /// <summary>Runs <paramref name="command"/>; a <see cref="LayerBuildException"/> is printed and becomes
    /// <paramref name="failureCode"/>, an unexpected exception <see cref="ExitCodes.Internal"/>.</summary>
    public async Task<int> RunAsync(Func<Task<int>> command, int failureCode, bool verbose, CancellationToken cancellationToken)
    {
        try
        {
            return await command().ConfigureAwait(false);
        }
        catch (LayerBuildException e)
        {
            foreach (var diagnostic in e.Diagnostics)
            {
                await stderr.WriteLineAsync(BuildRunner.Line(diagnostic)).ConfigureAwait(false);
            }

            return failureCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"error {DiagnosticCodes.Cancelled.Id}: cancelled").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await stderr.WriteLineAsync($"error {DiagnosticCodes.Internal.Id}: internal error: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            if (verbose)
            {
                await stderr.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }

            return ExitCodes.Internal;
        }
    }

    private static string Names(ImageArchive archive) =>
        string.Join(", ", archive.Images.Select(i => i.ToString()));
}
