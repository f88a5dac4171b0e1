namespace LayerBuilder.Diagnostics;

public enum Severity
{
    Warning,
    Error,
}
