using LayerBuilder.Diagnostics;

namespace LayerBuilder.Tool;

/// <summary>
/// What the image commands (inspect, verify, diff) share: turning a failure into diagnostics on standard error and an exit code, never a stack trace.
/// </summary>
internal sealed class ImageCommandRun(TextWriter stderr)
{
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
}
