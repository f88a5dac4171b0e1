namespace LayerBuilder.Diagnostics;

/// <summary>
/// The one exception the core throws for a problem the user can fix: it carries every diagnostic found,
/// so front ends print them all, not only the first.
/// </summary>
public sealed class LayerBuildException : Exception
{
    public LayerBuildException(IReadOnlyList<Diagnostic> diagnostics)
        : base(diagnostics.Count > 0 ? diagnostics[0].ToCliString() : "LayerBuilder failed")
    {
        Diagnostics = diagnostics;
    }

    public LayerBuildException(Diagnostic diagnostic)
        : this([diagnostic])
    {
    }

    public LayerBuildException(DiagnosticCode code, SourcePosition position, string message)
        : this(new Diagnostic(code, Severity.Error, position, message))
    {
    }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}
