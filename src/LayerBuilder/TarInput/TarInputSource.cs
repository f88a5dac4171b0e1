using LayerBuilder.Diagnostics;

namespace LayerBuilder.TarInput;

/// <summary>
/// A tar input as the user knows it, for the messages about it: what it is (<c>base rootfs 'x.tar.gz'</c>),
/// the recipe position that names it, and the codes for "cannot be read" and "is not a tar" that its
/// kind of input has always used. Damage, metadata over the limits, sparse entries and non-regular files
/// have one code each for every input (LB2023, LB2022, LB2012).
/// </summary>
internal sealed record TarInputSource(string Path, string Description, SourcePosition Position, DiagnosticCode Unreadable, DiagnosticCode NotATar)
{
    /// <summary>True where a tar without its end-of-archive blocks is damage: inputs the user hands over.
    /// Base image layers are checked against their digests instead, and some writers omit the blocks.</summary>
    public bool RequireEndMarker { get; init; } = true;

    public static TarInputSource Rootfs(string path, SourcePosition position) =>
        new(path, $"base rootfs '{path}'", position, DiagnosticCodes.RootfsUnreadable, DiagnosticCodes.RootfsUnreadable);

    public static TarInputSource Extract(string path, SourcePosition position) =>
        new(path, $"extract src '{path}'", position, DiagnosticCodes.SourceUnreadable, DiagnosticCodes.UnsupportedArchive);

    public static TarInputSource BaseArchive(string path, SourcePosition position) =>
        new(path, $"base archive '{path}'", position, DiagnosticCodes.RootfsUnreadable, DiagnosticCodes.RootfsUnreadable);

    public static TarInputSource BaseLayer(string path, string layer, SourcePosition position) =>
        new(path, $"base layer {layer}", position, DiagnosticCodes.BaseImageInvalid, DiagnosticCodes.BaseImageInvalid) { RequireEndMarker = false };

    public LayerBuildException Error(DiagnosticCode code, string message) => new(code, Position, $"{Description}: {message}");
}
