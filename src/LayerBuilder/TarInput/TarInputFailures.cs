using ICSharpCode.SharpZipLib;
using LayerBuilder.Diagnostics;
using ZstdSharp;

namespace LayerBuilder.TarInput;

/// <summary>
/// The one place that knows what the parsers under a tar input throw: System.Formats.Tar, the gzip,
/// bzip2 and zstd decompressors, and the header checks of <see cref="TarBlockGuard"/>. Each becomes a
/// <see cref="LayerBuildException"/> that names the input and, where known, the entry.
/// </summary>
internal static class TarInputFailures
{
    /// <summary>True for what a damaged or hostile input makes the parsers throw; false for bugs and cancellation.</summary>
    public static bool IsInputFailure(Exception e) => e is
        TarInputException or
        InvalidDataException or // tar fields, gzip data and CRC
        FormatException or // tar numbers and PAX records
        OverflowException or // tar numbers too large for their type
        ArgumentException or // out-of-range times and sizes the tar library converts
        NotSupportedException or // tar entry types the library does not read (sparse)
        SharpZipBaseException or // bzip2 data and CRC, gzip trailers
        ZstdException or // zstd data and checksum
        IOException; // cut short (EndOfStreamException), or the file cannot be read

    /// <summary>A failure of the decompressor (or of reading the file under it): the compressed stream is damaged or cut short.</summary>
    /// <param name="e">What the decompressor threw.</param>
    /// <param name="source">The input.</param>
    /// <param name="entry">The last entry read, if any: damage is found in it or just after it.</param>
    public static LayerBuildException FromDecompressor(Exception e, TarInputSource source, string? entry) => e switch
    {
        TarInputException or LayerBuildException => FromTar(e, source, entry, started: true),
        EndOfStreamException => source.Error(DiagnosticCodes.InputDamaged, $"the compressed stream is cut short{Where(entry)}: {e.Message}"),
        IOException => source.Error(source.Unreadable, $"cannot be read: {e.Message}"),
        _ => source.Error(DiagnosticCodes.InputDamaged, $"the compressed stream is damaged{Where(entry)}: {e.Message}"),
    };

    /// <summary>A failure of the tar parser or of the header checks.</summary>
    /// <param name="e">What the tar library or the header checks threw.</param>
    /// <param name="source">The input.</param>
    /// <param name="entry">The last entry read, if any: damage is found in it or just after it.</param>
    /// <param name="started">False while no valid header has been read: then the input is not a tar at all.</param>
    public static LayerBuildException FromTar(Exception e, TarInputSource source, string? entry, bool started) => e switch
    {
        LayerBuildException already => already,
        TarInputException known => source.Error(known.Code, known.Message + Where(entry)),
        _ when !started => source.Error(source.NotATar, $"is not a readable tar (.tar, .tar.gz, .tgz, .tar.bz2 or .tar.zst): {e.Message}"),
        EndOfStreamException => source.Error(DiagnosticCodes.InputDamaged, $"the tar is cut short{Where(entry)}: {e.Message}"),
        IOException and not EndOfStreamException => source.Error(source.Unreadable, $"cannot be read: {e.Message}"),
        _ => source.Error(DiagnosticCodes.InputDamaged, $"the tar is damaged{Where(entry)}: {e.Message}"),
    };

    private static string Where(string? entry) => entry is null ? "" : $" (in or after entry '{Printable(entry)}')";

    /// <summary>An entry name fit for a one-line message: control characters shown as '?', very long names cut.</summary>
    public static string Printable(string name)
    {
        const int MaxShown = 200;
        var shown = name.Length > MaxShown ? name[..MaxShown] + "…" : name;
        return string.Create(shown.Length, shown, (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                span[i] = char.IsControl(text[i]) ? '?' : text[i];
            }
        });
    }
}
