namespace LayerBuilder.Diagnostics;

/// <summary>
/// A stable diagnostic code. Codes never change meaning once released: users search for them and
/// suppress them by number. LB1xxx recipe, LB2xxx inputs, LB3xxx output, LB4xxx validation findings, LB5xxx registries
/// and engines, LB9xxx internal.
/// </summary>
public sealed record DiagnosticCode(int Number, string Title)
{
    public string Id => $"LB{Number:D4}";

    public override string ToString() => Id;
}
