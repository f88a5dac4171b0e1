namespace LayerBuilder.Diagnostics;

/// <summary>Collects every problem of one phase so the user sees all of them in one run.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<Diagnostic> items = [];

    public IReadOnlyList<Diagnostic> Items => items;

    public bool HasErrors => items.Any(d => d.Severity == Severity.Error);

    public void Error(DiagnosticCode code, SourcePosition position, string message) =>
        items.Add(new Diagnostic(code, Severity.Error, position, message));

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => items.AddRange(diagnostics);

    /// <summary>Throws one exception carrying every error collected so far, sorted by position. Places in
    /// a recipe built in code have no line and stay in the order they were found (the recipe's order).</summary>
    public void ThrowIfErrors()
    {
        if (HasErrors)
        {
            throw new LayerBuildException(items
                .OrderBy(d => d.Position.HasLine ? d.Position.File : SourcePosition.CodeOrigin, StringComparer.Ordinal)
                .ThenBy(d => d.Position.Line)
                .ThenBy(d => d.Position.Column)
                .ToArray());
        }
    }
}
