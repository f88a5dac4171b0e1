using System.Globalization;
using System.Text.Json;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Base;

/// <summary>
/// One JSON file of a base image (manifest.json, index.json, an image manifest or index blob, the
/// config): the one place where such a file is read. Its size is checked before a byte is read, it is
/// parsed once into a <see cref="JsonDocument"/> (a compact token table, not an object per value), and its
/// values are reached through <see cref="BaseJsonValue"/>, whose accessors refuse
/// a value of the wrong shape with LB2019 naming this file and the field. Nothing a base archive holds
/// can make the reader throw anything but a <see cref="LayerBuildException"/>.
/// </summary>
internal sealed class BaseJsonFile
{
    /// <summary>The most one JSON file of a base image may hold. Real ones stay far below: a config with
    /// a long history is tens of KiB, an index of every platform a few KiB.</summary>
    public const long MaxLength = 16L << 20;

    private const string MaxLengthText = "16 MiB";

    // Duplicate keys are refused while parsing: the node tree would otherwise throw on first access,
    // and which of two values a reader sees is a question no image should pose.
    private static readonly JsonDocumentOptions Parsing = new() { AllowDuplicateProperties = false };

    private readonly string container;
    private readonly SourcePosition position;
    private JsonDocument? document;

    private BaseJsonFile(string member, string container, SourcePosition position)
    {
        Member = member;
        this.container = container;
        this.position = position;
    }

    /// <summary>The member's name in the archive or layout, as messages give it.</summary>
    public string Member { get; }

    /// <summary>The file's bytes, for digest checks.</summary>
    public byte[] Bytes { get; private set; } = [];

    public BaseJsonValue Root => new(this, document?.RootElement ?? default);

    /// <summary>Reads and parses <paramref name="member"/> of <paramref name="members"/>; the caller knows it exists.</summary>
    /// <param name="members">The base archive or layout.</param>
    /// <param name="member">The member's name.</param>
    /// <param name="position">The recipe's base, where every diagnostic points.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    public static async Task<BaseJsonFile> ReadAsync(BaseArchiveFiles members, string member, SourcePosition position, CancellationToken cancellationToken)
    {
        var container = $"base '{members.Source}'";
        var path = members.Locate(member) ?? throw new BaseJsonFile(member, container, position).Invalid("it is not in the archive");
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            return await ReadAsync(stream, stream.Length, member, container, position, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A layout folder's member the host will not give (permissions, a symlink loop, an I/O error).
            throw new LayerBuildException(DiagnosticCodes.SourceUnreadable, position, $"cannot read {member} of base '{members.Source}': {e.Message}");
        }
    }

    /// <summary>Reads and parses a JSON member of <paramref name="length"/> bytes from <paramref name="stream"/>.</summary>
    /// <param name="stream">The member's bytes.</param>
    /// <param name="length">How many bytes the member has, checked against the limit before any is read.</param>
    /// <param name="member">The member's name.</param>
    /// <param name="container">What holds it, as messages name it (<c>base 'x.tar'</c>).</param>
    /// <param name="position">Where every diagnostic points.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    public static async Task<BaseJsonFile> ReadAsync(Stream stream, long length, string member, string container, SourcePosition position, CancellationToken cancellationToken)
    {
        var file = new BaseJsonFile(member, container, position);
        if (length > MaxLength)
        {
            throw file.TooLarge($"it is {length.ToString("N0", CultureInfo.InvariantCulture)} bytes, over the {MaxLengthText} limit for a JSON file of an image");
        }

        file.Bytes = new byte[length];
        await stream.ReadExactlyAsync(file.Bytes, cancellationToken).ConfigureAwait(false);

        // JSON must be UTF-8 (RFC 8259), and the parser checks that only of the text it decodes later:
        // a bad byte inside a string would surface as an InvalidOperationException when a field is read.
        if (!System.Text.Unicode.Utf8.IsValid(file.Bytes))
        {
            throw file.Invalid("it is not valid UTF-8 text");
        }

        try
        {
            file.document = JsonDocument.Parse(file.Bytes, Parsing);
        }
        catch (JsonException e)
        {
            throw file.Invalid($"it is not valid JSON: {e.Message}");
        }

        return file;
    }

    /// <summary>LB2022 at the recipe's base (or the archive read), naming this file.</summary>
    public LayerBuildException TooLarge(string problem) =>
        new(DiagnosticCodes.MetadataTooLarge, position, $"{Member} of {container}: {problem}");

    /// <summary>LB2019 at the recipe's base (or the archive read), naming this file.</summary>
    public LayerBuildException Invalid(string problem) =>
        new(DiagnosticCodes.BaseImageInvalid, position, $"{Member} of {container}: {problem}");
}
