using LayerBuilder.Diagnostics;

namespace LayerBuilder.Recipe;

/// <summary>A recipe value and where it was written, so later phases can still point at the line. A value
/// made in code may leave the position out (<c>default</c> reads "recipe built in code").</summary>
public readonly record struct Positioned<T>(T Value, SourcePosition Position = default)
{
    public override string ToString() => Value?.ToString() ?? "";
}
