namespace LayerBuilder.Diagnostics;

/// <summary>
/// Collects every problem of one phase so the user sees all of them in one run, one cause per position:
/// the first problem found at a line and column is the cause, and a problem of another kind that follows
/// from it at the same place (an unknown <c>${ARG}</c> left in a path that is then "not absolute") would
/// only repeat it, so it is dropped, as is the same message twice. Problems of the cause's own code that
/// say different things (the user and the group of one <c>owner:</c> both unknown) are each a finding and
/// stay (docs/decisions.md D65). An error takes the place of a warning at its position.
/// </summary>
internal sealed class DiagnosticBag
{
    private readonly List<Diagnostic> items = [];
    private readonly Dictionary<SourcePosition, int>? byPosition = [];

    public DiagnosticBag()
    {
    }

    private DiagnosticBag(bool onePerPosition) => byPosition = onePerPosition ? [] : null;

    /// <summary>A bag for findings about a built or planned image (<c>checks:</c>, the publish route's guard rails): the kind, mode and owner one check
    /// item asks for are each compared with the image on their own, so none follows from another and each
    /// is reported, all at the item's position.</summary>
    public static DiagnosticBag Findings() => new(onePerPosition: false);

    public IReadOnlyList<Diagnostic> Items => items;

    public bool HasErrors => items.Any(d => d.Severity == Severity.Error);

    public void Error(DiagnosticCode code, SourcePosition position, string message) =>
        Add(new Diagnostic(code, Severity.Error, position, message));

    public void AddRange(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            Add(diagnostic);
        }
    }

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

    private void Add(Diagnostic diagnostic)
    {
        // Only a position with a line is a place in a file; the others name a part of a recipe built in code.
        if (byPosition is null || !diagnostic.Position.HasLine)
        {
            items.Add(diagnostic);
            return;
        }

        if (byPosition.TryGetValue(diagnostic.Position, out var index))
        {
            var cause = items[index];
            if (cause.Severity != Severity.Error && diagnostic.Severity == Severity.Error)
            {
                items[index] = diagnostic;
            }
            else if (diagnostic.Code == cause.Code && !items.Any(d => d.Position == diagnostic.Position && d.Message == diagnostic.Message))
            {
                items.Add(diagnostic);
            }

            return;
        }

        byPosition[diagnostic.Position] = items.Count;
        items.Add(diagnostic);
    }
}
