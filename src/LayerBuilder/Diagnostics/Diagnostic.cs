namespace LayerBuilder.Diagnostics;

/// <summary>One problem found in a recipe or its inputs, with its stable code and where it is.</summary>
public sealed record Diagnostic(DiagnosticCode Code, Severity Severity, SourcePosition Position, string Message)
{
    /// <summary>The command-line form: <c>file:line:col: error LBnnnn: message</c>; a place without a line
    /// (a recipe built in code) is named in words instead of <c>file:line:col</c>.</summary>
    public string ToCliString() =>
        $"{Position}: {SeverityWord} {Code.Id}: {Message}";

    /// <summary>The canonical MSBuild form: <c>file(line,col): error LBnnnn: message</c> (<c>origin: error ...</c>
    /// for a place without a line, which MSBuild's format allows).</summary>
    public string ToMSBuildString() => Position.HasLine
        ? $"{Position.File}({Position.Line},{Position.Column}): {SeverityWord} {Code.Id}: {Message}"
        : $"{Position.File}: {SeverityWord} {Code.Id}: {Message}";

    private string SeverityWord => Severity == Severity.Error ? "error" : "warning";

    public override string ToString() => ToCliString();
}
