using LayerBuilder.Archive;
using LayerBuilder.Diagnostics;
using LayerBuilder.Image;

namespace LayerBuilder.Engine;

/// <summary>
/// <c>docker load</c> without the docker CLI: the archive is streamed into <c>POST /images/load</c> of
/// the engine as it is written, and the engine's report ("Loaded image: app:1") is returned.
/// </summary>
internal static class EngineLoad
{
    public static async Task<IReadOnlyList<string>> LoadAsync(EngineConnection engine, ImageModel image, ArchiveFormat format, CancellationToken cancellationToken)
    {
        // quiet: the answer carries the result lines without the per-layer progress bars.
        using var request = new HttpRequestMessage(HttpMethod.Post, "images/load?quiet=1") { Content = new ArchiveContent(image, format) };
        HttpResponseMessage response;
        try
        {
            response = await engine.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            // The engine closed the connection before it took the whole archive: it stopped, or it gave up
            // on the archive and answered nothing we could read.
            throw EngineMessages.Refused(engine.Host, $"the connection ended while the archive was sent ({e.Message})");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw EngineMessages.Refused(engine.Host, await EngineMessages.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false));
            }

            await using var answer = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var lines = await EngineMessages.ReadAsync(answer, engine.Host, cancellationToken).ConfigureAwait(false);
            if (lines.Count == 0)
            {
                throw new LayerBuildException(DiagnosticCodes.EngineRefusedImage, EngineMessages.Position,
                    $"the docker engine at {engine.Host} answered the load without naming an image");
            }

            return lines;
        }
    }
}
