using System.Text;
using LayerBuilder.Diagnostics;
using LayerBuilder.FileSystem;

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
    /// <summary>The most bytes of a Dockerfile read: it is held whole, and a real one is a few KiB.</summary>
    private const long MaxFileBytes = 16L << 20;

    private static readonly InputFileKind DockerfileKind = new("Dockerfile", "Dockerfile", MaxFileBytes,
        "a Dockerfile names its files (COPY, ADD) rather than holding them", DiagnosticCodes.DockerfileUnreadable);

    /// <summary>Reads a Dockerfile's text for <see cref="DockerfileConversionRequest.Text"/>: UTF-8, a byte
    /// order mark dropped, a byte that is not UTF-8 read as U+FFFD. A file that is missing, not a regular
    /// file, over 16 MiB or unreadable is a <see cref="LayerBuildException"/> LB7014 at the file's start.</summary>
    public static string ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Lenient.GetString(SmallInputFile.Read(path, DockerfileKind)).TrimStart(ByteOrderMark);
    }

    private const char ByteOrderMark = '\uFEFF';

    private static readonly UTF8Encoding Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static DockerfileConversion Convert(DockerfileConversionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Text);
        return new DockerfileTranslation(request).Run();
    }
}
