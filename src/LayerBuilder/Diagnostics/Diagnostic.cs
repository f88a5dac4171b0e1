namespace LayerBuilder.Diagnostics;

/// <summary>One problem found in a recipe or its inputs, with its stable code and where it is.</summary>
public sealed record Diagnostic(DiagnosticCode Code, Severity Severity, SourcePosition Position, string Message)
{
    /// <summary>The command-line form: <c>file:line:col: error LBnnnn: message</c>.</summary>
    public string ToCliString() =>
        $"{Position.File}:{Position.Line}:{Position.Column}: {SeverityWord} {Code.Id}: {Message}";

    /// <summary>The canonical MSBuild form: <c>file(line,col): error LBnnnn: message</c>.</summary>
    public string ToMSBuildString() =>
        $"{Position.File}({Position.Line},{Position.Column}): {SeverityWord} {Code.Id}: {Message}";

    private string SeverityWord => Severity == Severity.Error ? "error" : "warning";

    public override string ToString() => ToCliString();
}
