using LayerBuilder.Layers;

namespace LayerBuilder.Archive;

/// <summary>
/// The names front ends give the archive formats and layer compressions (<c>--format</c>,
/// <c>LayerBuildFormat</c>, <c>--compression</c>, <c>LayerBuildCompression</c>): one mapping for all.
/// </summary>
public static class OutputNames
{
    private static readonly (string Name, ArchiveFormat Format)[] Formats = [("docker", ArchiveFormat.Docker), ("oci", ArchiveFormat.Oci)];

    private static readonly (string Name, LayerCompression Compression)[] Compressions =
        [("none", LayerCompression.None), ("gzip", LayerCompression.Gzip), ("zstd", LayerCompression.Zstd)];

    /// <summary><c>docker</c> and <c>oci</c>; the first is the default.</summary>
    public static IReadOnlyList<string> FormatNames { get; } = Formats.Select(f => f.Name).ToArray();

    /// <summary><c>none</c>, <c>gzip</c> and <c>zstd</c>; the first is the default.</summary>
    public static IReadOnlyList<string> CompressionNames { get; } = Compressions.Select(c => c.Name).ToArray();

    public static string NameOf(ArchiveFormat format) => Formats.Single(f => f.Format == format).Name;

    /// <summary>The format named <paramref name="name"/> (any case, blanks around ignored); false when none is.</summary>
    public static bool TryParseFormat(string? name, out ArchiveFormat format)
    {
        var match = Formats.FirstOrDefault(f => f.Name == Normalize(name));
        format = match.Format;
        return match.Name is not null;
    }

    /// <summary>The compression named <paramref name="name"/> (any case, blanks around ignored); false when none is.</summary>
    public static bool TryParseCompression(string? name, out LayerCompression compression)
    {
        var match = Compressions.FirstOrDefault(c => c.Name == Normalize(name));
        compression = match.Compression;
        return match.Name is not null;
    }

    private static string Normalize(string? name) => (name ?? "").Trim().ToLowerInvariant();
}
