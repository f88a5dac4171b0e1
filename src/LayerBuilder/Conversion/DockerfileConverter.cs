namespace LayerBuilder.Conversion;

/// <summary>
/// Converts a Dockerfile into the <c>layerbuild.yml</c> that builds the same image, for everything a
/// recipe can express: FROM (scratch, a registry reference or an image archive), COPY and ADD of local
/// sources, ADD of local tars (extract), <c>RUN rm -rf</c> of plain paths (remove), ARG as args and the
/// config instructions. Each instruction it cannot express (any other RUN, ADD of a URL, COPY --from, a
/// second stage, a heredoc) is reported at its line and column (LB7xxx, docs/diagnostics.md); with
/// <see cref="DockerfileConversionRequest.AllowPartial"/> those become warnings and the rest is written.
/// What a converted recipe still does differently from <c>docker build</c> is listed in
/// docs/docker-differences.md.
/// </summary>
public static class DockerfileConverter
{
    public static DockerfileConversion Convert(DockerfileConversionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Text);
        return new DockerfileTranslation(request).Run();
    }
}
