using LayerBuilder.Diagnostics;

namespace LayerBuilder.Reading;

/// <summary>A problem met while the images of an archive were listed: validation reports it under
/// <paramref name="Code"/> (LB4xxx); when <paramref name="OpenCode"/> is set, the image cannot be read
/// at all, and opening the archive fails with that code instead.</summary>
internal sealed record ReadingFinding(DiagnosticCode Code, DiagnosticCode? OpenCode, string Message);
