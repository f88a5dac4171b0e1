using LayerBuilder.Diagnostics;

namespace LayerBuilder.TarInput;

/// <summary>What the header checks found wrong, before it is known which input it is about;
/// <see cref="TarInputFailures"/> turns it into the user's diagnostic.</summary>
internal sealed class TarInputException(DiagnosticCode code, string message) : Exception(message)
{
    public DiagnosticCode Code { get; } = code;
}
