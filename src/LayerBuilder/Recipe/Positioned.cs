using LayerBuilder.Diagnostics;

namespace LayerBuilder.Recipe;

/// <summary>A recipe value and where it was written, so later phases can still point at the line.</summary>
public readonly record struct Positioned<T>(T Value, SourcePosition Position)
{
    public override string ToString() => Value?.ToString() ?? "";
}
